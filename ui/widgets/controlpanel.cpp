// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/controlpanel.h"

#include "widgets/methodhelp.h"
#include "widgets/parameditor.h"

#include <distillery/augment.h>
#include <distillery/device.h>
#include <distillery/error.h>
#include <distillery/methods.h>
#include <distillery/session.h>

#include <QComboBox>
#include <QFormLayout>
#include <QDoubleSpinBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QSpinBox>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace distillery::ui {
namespace {

    QString fromStd(const std::string& s) { return QString::fromStdString(s); }

    /// Selects the item whose data is `value`, adding it (shown as itself) when missing.
    void selectData(QComboBox* box, const QString& value)
    {
        int index = box->findData(value);
        if (index < 0) {
            box->addItem(value, value);
            index = box->count() - 1;
        }
        box->setCurrentIndex(index);
    }

    QString dataOf(const QComboBox* box) { return box->currentData().toString(); }

    /// "Auto" at the minimum of a spin box means "the method's value" (0 in the config).
    void autoAtZero(QSpinBox* box) { box->setSpecialValueText(QObject::tr("Auto")); }

    QString strategyText(const std::string& strategy)
    {
        if (strategy == "none")
            return QObject::tr("none");
        if (strategy == distillery::core::kDsaStrategyDefault)
            return QObject::tr("DSA with flips");
        if (strategy == distillery::core::kDsaStrategyNoFlip)
            return QObject::tr("DSA without flips");
        return fromStd(strategy);
    }

} // namespace

ControlPanel::ControlPanel(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);

    // Presets first: a teacher picks one and presses Start.
    auto* presets = new QHBoxLayout;
    auto* classroom = new QPushButton(tr("Classroom"), this);
    classroom->setToolTip(tr("Settings for a laptop CPU: a narrow network, few real images per step, a short "
                             "evaluation. Results in seconds to minutes."));
    auto* paper = new QPushButton(tr("Paper"), this);
    paper->setToolTip(tr("The reference settings of each method's paper (ConvNet-128, the paper's iterations and "
                         "evaluation protocol). Meant for a GPU: hours on a CPU."));
    m_presetLabel = new QLabel(this);
    presets->addWidget(new QLabel(tr("Preset:"), this));
    presets->addWidget(classroom);
    presets->addWidget(paper);
    presets->addWidget(m_presetLabel, 1);
    layout->addLayout(presets);
    connect(classroom, &QPushButton::clicked, this, [this] { applyPreset(QStringLiteral("classroom")); });
    connect(paper, &QPushButton::clicked, this, [this] { applyPreset(QStringLiteral("paper")); });

    // Data.
    auto* dataBox = new QGroupBox(tr("Data"), this);
    auto* dataForm = new QFormLayout(dataBox);
    auto* dataRow = new QHBoxLayout;
    m_dataset = new QComboBox(dataBox);
    m_dataset->addItem(tr("Fashion-MNIST (built in)"), QStringLiteral("fashion-mnist"));
    m_dataset->setToolTip(tr("The real data set to distil. Fashion-MNIST comes with Distillery; open an IDX or "
                             "CIFAR folder, a folder of images (one sub-folder per class) or a MedMNIST .npz."));
    m_openData = new QPushButton(tr("Open…"), dataBox);
    m_openData->setToolTip(tr("Use another data set"));
    auto* openMenu = new QMenu(m_openData);
    const std::pair<const char*, const char*> kinds[] = {{"idx", "MNIST-family IDX folder…"},
        {"cifar10", "CIFAR-10 binary folder…"}, {"cifar100", "CIFAR-100 binary folder…"},
        {"folder", "Image folder (one sub-folder per class)…"}, {"medmnist", "MedMNIST .npz file…"}};
    for (const auto& [kind, label] : kinds) {
        const QString k = QLatin1String(kind);
        openMenu->addAction(tr(label), this, [this, k] { Q_EMIT openDataSourceRequested(k); });
    }
    m_openData->setMenu(openMenu);
    dataRow->addWidget(m_dataset, 1);
    dataRow->addWidget(m_openData);
    dataForm->addRow(tr("Data set"), dataRow);
    m_imageSize = new QSpinBox(dataBox);
    m_imageSize->setObjectName(QStringLiteral("imageSize"));
    m_imageSize->setRange(0, 512);
    m_imageSize->setSpecialValueText(tr("Native"));
    m_imageSize->setToolTip(tr("Image folders only: Native keeps the images' own size (when they differ, the most "
                               "common one, and the log says so); a number resizes every image to that many pixels "
                               "square (8…512)"));
    dataForm->addRow(tr("Image size"), m_imageSize);
    m_flips = new QComboBox(dataBox);
    m_flips->setObjectName(QStringLiteral("flips"));
    m_flips->addItem(tr("Auto"), QStringLiteral("auto"));
    m_flips->addItem(tr("On"), QStringLiteral("on"));
    m_flips->addItem(tr("Off"), QStringLiteral("off"));
    m_flips->setToolTip(tr("Horizontal flips in the augmentation (DSA). Auto: off when the classes are numerals or "
                           "single characters (digits, letters, unnamed classes: a mirrored symbol is another "
                           "symbol), on for named classes such as clothing"));
    dataForm->addRow(tr("Mirror images"), m_flips);
    // Data selection (docs/methods.md §10): which real images the method may draw from.
    auto* selectRow = new QHBoxLayout;
    m_select = new QComboBox(dataBox);
    m_select->setObjectName(QStringLiteral("select"));
    m_select->addItem(tr("Every image"), QStringLiteral("none"));
    m_select->addItem(tr("Drop the hardest"), QStringLiteral("drop-hardest"));
    m_select->addItem(tr("Drop the easiest"), QStringLiteral("drop-easiest"));
    m_select->addItem(tr("Drop at random"), QStringLiteral("drop-random"));
    m_select->setToolTip(tr("Data selection before distilling: drop a share of each class's training images, ranked by "
                            "how hard a network trained on all of them finds each one (scored once per data set and "
                            "network, a few minutes on a laptop), or at random"));
    m_selectPercent = new QDoubleSpinBox(dataBox);
    m_selectPercent->setObjectName(QStringLiteral("selectFraction"));
    m_selectPercent->setRange(1, 99.9);
    m_selectPercent->setDecimals(1);
    m_selectPercent->setSuffix(QStringLiteral(" %"));
    m_selectPercent->setValue(90);
    m_selectPercent->setToolTip(tr("Share of each class dropped (rounded down per class)"));
    m_selectScore = new QComboBox(dataBox);
    m_selectScore->setObjectName(QStringLiteral("selectScore"));
    m_selectScore->addItem(tr("after training"), QStringLiteral("converged"));
    m_selectScore->addItem(tr("after one epoch"), QStringLiteral("early"));
    m_selectScore->setToolTip(tr("Which loss ranks the images: after the scoring network's training, or after its first "
                                 "epoch (what it has not learned yet)"));
    // Two rows: the settings dock is narrow, and three fields on one row cut off the score's words.
    dataForm->addRow(tr("Selection"), m_select);
    selectRow->addWidget(m_selectPercent, 1);
    selectRow->addWidget(m_selectScore, 2);
    dataForm->addRow(tr("Drop, ranked by"), selectRow);
    const auto updateSelectControls = [this] {
        const QString rule = dataOf(m_select);
        m_selectPercent->setEnabled(rule != QLatin1String("none") && !m_running);
        m_selectScore->setEnabled(rule != QLatin1String("none") && rule != QLatin1String("drop-random") && !m_running);
    };
    connect(m_select, qOverload<int>(&QComboBox::currentIndexChanged), this, updateSelectControls);
    updateSelectControls();
    m_dataSummary = new QLabel(dataBox);
    m_dataSummary->setObjectName(QStringLiteral("dataSummary"));
    m_dataSummary->setWordWrap(true);
    m_dataSummary->setToolTip(tr("What reading the data set found, and what it decided (resizing, flips, merged "
                                 "splits)"));
    dataForm->addRow(m_dataSummary);
    m_color = new QComboBox(dataBox);
    m_color->addItem(tr("Automatic"), QStringLiteral("auto"));
    m_color->addItem(tr("Grey"), QStringLiteral("grey"));
    m_color->addItem(tr("Colour"), QStringLiteral("colour"));
    m_color->setToolTip(tr("Image folders only: read images as grey or colour (automatic: grey if all are grey)"));
    dataForm->addRow(tr("Colour"), m_color);
    layout->addWidget(dataBox);

    // Method.
    auto* methodBox = new QGroupBox(tr("Method"), this);
    auto* methodForm = new QFormLayout(methodBox);
    m_method = new QComboBox(methodBox);
    m_method->setObjectName(QStringLiteral("method"));
    for (const auto& info : core::availableMethods())
        m_method->addItem(fromStd(info.title), fromStd(info.name));
    m_method->setToolTip(tr("How the synthetic images are made; the panel below explains the selected method"));
    methodForm->addRow(tr("Method"), m_method);
    m_ipc = new QSpinBox(methodBox);
    m_ipc->setObjectName(QStringLiteral("ipc"));
    m_ipc->setRange(1, 1000);
    m_ipc->setToolTip(tr("Images per class in the synthetic set (1, 10 and 50 are the usual benchmarks)"));
    methodForm->addRow(tr("Images per class"), m_ipc);
    m_iterations = new QSpinBox(methodBox);
    m_iterations->setObjectName(QStringLiteral("iterations"));
    m_iterations->setRange(0, 10'000'000);
    autoAtZero(m_iterations);
    m_iterations->setToolTip(tr("Outer iterations of the method (Auto: the method's value for the preset)"));
    methodForm->addRow(tr("Iterations"), m_iterations);
    layout->addWidget(methodBox);

    // The selected method's own parameters, generated from its declarations.
    m_paramBox = new QGroupBox(tr("Method settings"), this);
    m_paramForm = new QFormLayout(m_paramBox);
    layout->addWidget(m_paramBox);

    // Model and device.
    auto* modelBox = new QGroupBox(tr("Network and device"), this);
    auto* modelForm = new QFormLayout(modelBox);
    m_arch = new QComboBox(modelBox);
    m_arch->addItem(tr("ConvNet"), QStringLiteral("convnet"));
    m_arch->addItem(tr("MLP"), QStringLiteral("mlp"));
    m_arch->addItem(tr("LeNet"), QStringLiteral("lenet"));
    m_arch->addItem(tr("ResNet-18"), QStringLiteral("resnet18"));
    m_arch->setToolTip(tr("The network used to distil and to evaluate (ConvNet is the reference)"));
    modelForm->addRow(tr("Network"), m_arch);
    m_width = new QSpinBox(modelBox);
    m_width->setRange(1, 4096);
    m_width->setToolTip(tr("ConvNet channels per block (paper 128; classroom 32 runs far faster on a CPU)"));
    modelForm->addRow(tr("Width"), m_width);
    m_depth = new QSpinBox(modelBox);
    m_depth->setRange(1, 8);
    m_depth->setToolTip(tr("ConvNet blocks (conv, norm, activation, pooling)"));
    modelForm->addRow(tr("Depth"), m_depth);
    m_norm = new QComboBox(modelBox);
    m_norm->addItem(tr("Instance"), QStringLiteral("instance"));
    m_norm->addItem(tr("Batch"), QStringLiteral("batch"));
    m_norm->addItem(tr("None"), QStringLiteral("none"));
    m_norm->setToolTip(tr("Normalisation layers (instance norm is the reference)"));
    modelForm->addRow(tr("Normalisation"), m_norm);
    m_device = new QComboBox(modelBox);
    m_device->addItem(tr("Automatic"), QStringLiteral("auto"));
    for (const auto& d : core::availableDevices())
        m_device->addItem(fromStd(d.id + "  (" + d.description + ")"), fromStd(d.id));
    m_device->setToolTip(tr("Where to compute: a CUDA GPU if this build of LibTorch has one, else the CPU"));
    modelForm->addRow(tr("Device"), m_device);
    m_seed = new QSpinBox(modelBox);
    m_seed->setRange(0, std::numeric_limits<int>::max());
    m_seed->setToolTip(tr("The same seed and settings reproduce the same synthetic set on the CPU"));
    modelForm->addRow(tr("Seed"), m_seed);
    layout->addWidget(modelBox);

    // Evaluation.
    auto* evalBox = new QGroupBox(tr("Evaluation"), this);
    auto* evalForm = new QFormLayout(evalBox);
    m_evalModels = new QSpinBox(evalBox);
    m_evalModels->setRange(1, 100);
    m_evalModels->setToolTip(tr("Fresh networks trained on the synthetic set per evaluation (mean ± std over them)"));
    evalForm->addRow(tr("Models"), m_evalModels);
    m_evalEpochs = new QSpinBox(evalBox);
    m_evalEpochs->setRange(0, 100'000);
    autoAtZero(m_evalEpochs);
    m_evalEpochs->setToolTip(tr("Training epochs per model (Auto: the method's protocol, 1000 with DSA, 300 without)"));
    evalForm->addRow(tr("Epochs"), m_evalEpochs);
    m_evalAugment = new QComboBox(evalBox);
    m_evalAugment->addItem(tr("Auto"), QString());
    m_evalAugment->addItem(tr("DSA"), QStringLiteral("dsa"));
    m_evalAugment->addItem(tr("None"), QStringLiteral("none"));
    m_evalAugment->setToolTip(tr("Augmentation while training the evaluation models; compare methods only under one "
                                 "protocol"));
    evalForm->addRow(tr("Augmentation"), m_evalAugment);
    m_evalEvery = new QSpinBox(evalBox);
    m_evalEvery->setRange(0, 1'000'000);
    m_evalEvery->setSpecialValueText(tr("Off"));
    m_evalEvery->setToolTip(tr("Evaluate a copy of the set every N iterations while distillation goes on"));
    evalForm->addRow(tr("Evaluate every"), m_evalEvery);
    layout->addWidget(evalBox);
    connect(m_evalEvery, qOverload<int>(&QSpinBox::valueChanged), this, &ControlPanel::evaluationIntervalChanged);

    m_help = new QTextBrowser(this);
    m_help->setOpenExternalLinks(false);
    m_help->setToolTip(tr("What the selected method matches"));
    m_help->setMinimumHeight(160);
    m_resolveStatus = new QLabel(this);
    m_resolveStatus->setWordWrap(true);
    m_resolveStatus->setStyleSheet(QStringLiteral("color: #b00020;"));
    layout->addWidget(m_resolveStatus);
    layout->addWidget(m_help, 1);
    connect(m_method, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
        if (m_updating)
            return;
        storeParameterRequest();
        showMethodParameters();
        updateMethodHelp();
        changed();
        Q_EMIT methodChanged(dataOf(m_method));
    });
    // Everything that can change what "auto" means re-resolves at once.
    for (QComboBox* box : {m_dataset, m_color, m_flips, m_select, m_selectScore, m_arch, m_norm, m_device, m_evalAugment})
        connect(box, qOverload<int>(&QComboBox::currentIndexChanged), this, &ControlPanel::changed);
    connect(m_selectPercent, qOverload<double>(&QDoubleSpinBox::valueChanged), this, &ControlPanel::changed);
    for (QSpinBox* box : {m_imageSize, m_ipc, m_iterations, m_width, m_depth, m_seed, m_evalModels, m_evalEpochs})
        connect(box, qOverload<int>(&QSpinBox::valueChanged), this, &ControlPanel::changed);

    // Long entries (method titles, device names) must not widen the panel: lists show what fits and elide the
    // rest, which stays in the drop-down and the tooltip.
    for (QComboBox* box : findChildren<QComboBox*>()) {
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(8);
    }

    m_lockedWhileRunning = {m_dataset, m_openData, m_imageSize, m_flips, m_select, m_color, m_method, m_ipc, m_iterations,
        m_paramBox, m_arch, m_width, m_depth, m_norm, m_device, m_seed, m_evalModels, m_evalEpochs, m_evalAugment,
        classroom, paper};

    core::RunConfig defaults;
    core::applyPreset(defaults, "classroom");
    defaults.method = "dm";
    setConfig(defaults);
}

void ControlPanel::changed()
{
    if (m_updating)
        return;
    refreshResolved();
    Q_EMIT requestChanged();
}

core::ParamValues ControlPanel::editedParameters() const
{
    core::ParamValues request;
    for (const ParamEditor* editor : m_editors)
        if (const auto value = editor->value())
            request.set(editor->spec().key, *value);
    return request;
}

void ControlPanel::storeParameterRequest()
{
    if (!m_shownMethod.empty())
        m_paramRequests[m_shownMethod] = editedParameters();
}

void ControlPanel::showMethodParameters()
{
    const std::string method = dataOf(m_method).toStdString();
    while (m_paramForm->rowCount() > 0)
        m_paramForm->removeRow(0);
    m_editors.clear();
    m_shownMethod = method;
    std::vector<core::ParamSpec> specs;
    try {
        specs = core::methodParameters(method);
    } catch (const core::Error&) {
        // an unknown method (a config from a newer build): no rows; resolving says what is wrong
    }
    const core::ParamValues& request = m_paramRequests[method];
    for (const auto& spec : specs) {
        auto* editor = new ParamEditor(spec, m_paramBox);
        editor->setObjectName(QStringLiteral("param-") + fromStd(spec.key));
        if (request.has(spec.key))
            editor->setValue(request.all().at(spec.key));
        connect(editor, &ParamEditor::edited, this, [this] {
            storeParameterRequest();
            changed();
        });
        m_paramForm->addRow(fromStd(spec.label), editor);
        m_editors.push_back(editor);
    }
    m_paramBox->setVisible(!m_editors.empty());
}

void ControlPanel::setDataInfo(const core::DatasetInfo& info)
{
    m_dataInfo = info;
    refreshResolved();
}

void ControlPanel::refreshResolved()
{
    const core::RunConfig request = config();
    // The data set's augmentation strategy, when known (flips follow the panel's choice on its class names).
    core::DatasetInfo data;
    const bool known = m_dataInfo && m_dataInfo->source == request.data.source;
    if (known)
        data = *m_dataInfo;
    if (known) {
        QString text = fromStd(data.summary());
        for (const auto& note : data.notes)
            text += QStringLiteral("\n• ") + fromStd(note);
        m_dataSummary->setText(text);
    } else {
        m_dataSummary->setText(tr("Not read yet: its size and classes show here once it is opened or a run loads it."));
    }
    const bool strategyKnown = known || request.data.flips != "auto";
    data.dsaStrategy = (known ? core::dsaFlips(request.data.flips, data.classNames) : request.data.flips != "off")
        ? core::kDsaStrategyDefault
        : core::kDsaStrategyNoFlip;
    m_resolveError.clear();
    for (const ParamEditor* editor : m_editors)
        if (!editor->valid())
            m_resolveError = editor->error();
    try {
        m_resolved = core::resolveConfig(request, data);
    } catch (const core::Error& e) {
        m_resolved.reset();
        if (m_resolveError.isEmpty())
            m_resolveError = fromStd(e.what());
    }
    m_resolveStatus->setText(m_resolveError);
    m_resolveStatus->setVisible(!m_resolveError.isEmpty());
    for (ParamEditor* editor : m_editors) {
        QString text;
        if (m_resolved) {
            const core::ParamSpec& spec = editor->spec();
            const core::ParamValue& value = m_resolved->params.all().at(spec.key);
            if (!spec.defaultNote.empty() && !strategyKnown)
                text = tr("the data set's");
            else if (spec.kind == core::ParamKind::Augmentation)
                text = strategyText(std::get<std::string>(value));
            else
                text = fromStd(core::paramValueText(value));
        }
        editor->setResolved(text);
    }
    auto autoText = [&](const QString& resolved) { return resolved.isEmpty() ? tr("Auto") : tr("Auto (%1)").arg(resolved); };
    m_iterations->setSpecialValueText(autoText(m_resolved ? QString::number(m_resolved->iterations) : QString()));
    m_evalEpochs->setSpecialValueText(autoText(m_resolved ? QString::number(m_resolved->eval.epochs) : QString()));
    m_evalAugment->setItemText(0,
        autoText(m_resolved ? (m_resolved->eval.augment == "dsa" ? tr("DSA") : tr("none")) : QString()));
    QString flips;
    if (known)
        flips = core::dsaFlips("auto", data.classNames) ? tr("on") : tr("off");
    m_flips->setItemText(0, autoText(flips));
}

void ControlPanel::applyPreset(const QString& preset)
{
    // A preset sets network and protocol and puts every method setting back on auto (the preset's values);
    // what the user chose to study stays: data, method, IPC, seed, device.
    core::RunConfig c = config();
    const core::RunConfig keep = c;
    core::applyPreset(c, preset.toStdString());
    c.params = core::ParamValues{};
    c.iterations = 0;
    c.data = keep.data;
    c.method = keep.method;
    c.ipc = keep.ipc;
    c.seed = keep.seed;
    c.device = keep.device;
    setConfig(c);
    Q_EMIT requestChanged();
}

void ControlPanel::updateMethodHelp()
{
    m_help->setHtml(methodExplanation(dataOf(m_method)));
}

core::RunConfig ControlPanel::config() const
{
    core::RunConfig c = m_base;
    c.data.source = dataOf(m_dataset).toStdString();
    c.data.imageSize = m_imageSize->value();
    c.data.color = dataOf(m_color).toStdString();
    c.data.flips = dataOf(m_flips).toStdString();
    c.data.select = dataOf(m_select).toStdString();
    c.data.selectFraction = c.data.select == "none" ? 0.0 : m_selectPercent->value() / 100.0;
    c.data.selectScore = dataOf(m_selectScore).toStdString();
    c.method = dataOf(m_method).toStdString();
    c.ipc = m_ipc->value();
    c.iterations = m_iterations->value();
    c.params = editedParameters();
    c.model.arch = dataOf(m_arch).toStdString();
    c.model.width = m_width->value();
    c.model.depth = m_depth->value();
    c.model.norm = dataOf(m_norm).toStdString();
    c.device = dataOf(m_device).toStdString();
    c.seed = static_cast<std::uint64_t>(m_seed->value());
    c.eval.models = m_evalModels->value();
    c.eval.epochs = m_evalEpochs->value();
    c.eval.augment = dataOf(m_evalAugment).toStdString();
    return c;
}

void ControlPanel::setConfig(const core::RunConfig& c)
{
    m_updating = true;
    m_base = c;
    selectData(m_dataset, fromStd(c.data.source));
    m_imageSize->setValue(c.data.imageSize);
    selectData(m_flips, fromStd(c.data.flips));
    selectData(m_select, fromStd(c.data.select));
    if (c.data.selectFraction > 0)
        m_selectPercent->setValue(100.0 * c.data.selectFraction);
    selectData(m_selectScore, fromStd(c.data.selectScore));
    selectData(m_color, fromStd(c.data.color));
    selectData(m_method, fromStd(c.method));
    m_ipc->setValue(c.ipc);
    m_iterations->setValue(c.iterations);
    m_paramRequests.clear();
    m_paramRequests[c.method] = c.params;
    m_shownMethod.clear();
    showMethodParameters();
    selectData(m_arch, fromStd(c.model.arch));
    m_width->setValue(c.model.width);
    m_depth->setValue(c.model.depth);
    selectData(m_norm, fromStd(c.model.norm));
    selectData(m_device, fromStd(c.device));
    m_seed->setValue(static_cast<int>(std::min<std::uint64_t>(c.seed, std::numeric_limits<int>::max())));
    m_evalModels->setValue(c.eval.models);
    m_evalEpochs->setValue(c.eval.epochs);
    selectData(m_evalAugment, fromStd(c.eval.augment));
    m_presetLabel->setText(tr("current: %1").arg(fromStd(c.preset)));
    updateMethodHelp();
    m_updating = false;
    refreshResolved();
}

int ControlPanel::evaluationInterval() const
{
    return m_evalEvery->value();
}

void ControlPanel::setEvaluationInterval(int iterations)
{
    m_evalEvery->setValue(iterations);
}

void ControlPanel::selectDataSource(const QString& source)
{
    selectData(m_dataset, source);
    changed();
}

void ControlPanel::selectMethod(const QString& name)
{
    const int index = m_method->findData(name);
    if (index >= 0)
        m_method->setCurrentIndex(index); // the list's own handler keeps each method's request
}

void ControlPanel::setIpc(int ipc)
{
    m_ipc->setValue(ipc);
}

void ControlPanel::setRunning(bool running)
{
    m_running = running;
    for (QWidget* w : std::as_const(m_lockedWhileRunning))
        w->setEnabled(!running);
    const QString rule = dataOf(m_select);
    m_selectPercent->setEnabled(rule != QLatin1String("none") && !running);
    m_selectScore->setEnabled(rule != QLatin1String("none") && rule != QLatin1String("drop-random") && !running);
}

} // namespace distillery::ui

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/privacypanel.h"

#include "controller/runstatus.h"
#include "controller/snapshotimage.h"
#include "widgets/plotstyle.h"
#include "widgets/qcustomplot_include.h"

#include <QFileDialog>
#include <QMessageBox>
#include <QSaveFile>

#include <algorithm>
#include <cmath>

namespace distillery::ui {
namespace {

    // Snapshots kept for the slider: beyond this, every other one is dropped (the history stays evenly spread).
    constexpr std::size_t kMaxHistory = 120;
    constexpr int kCellScale = 3;

    QString number(double v, int digits = 3) { return QString::number(v, 'f', digits); }

    QString interval(const core::Interval& i, int digits = 3)
    {
        return QStringLiteral("%1 [%2, %3]").arg(number(i.value, digits), number(i.low, digits), number(i.high, digits));
    }

    QTableWidgetItem* imageItem(const core::ImageBatch8& batch, int index, const QString& text)
    {
        auto* item = new QTableWidgetItem(text);
        if (index < batch.count) {
            const QImage image = toQImage(batch, index);
            // Nearest neighbour: the exact pixels, not a smoothed impression of them.
            item->setData(Qt::DecorationRole,
                QPixmap::fromImage(image.scaled(image.size() * kCellScale, Qt::KeepAspectRatio, Qt::FastTransformation)));
        }
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
        return item;
    }

    QString matchText(const core::NeighbourMatch& m)
    {
        return QObject::tr("#%1 (class %2)\nL2 %3\nSSIM %4\nPSNR %5")
            .arg(m.index)
            .arg(m.label)
            .arg(number(m.l2))
            .arg(number(m.ssim))
            .arg(m.identical ? QObject::tr("identical") : number(m.psnr, 1) + QStringLiteral(" dB"));
    }

    /// The images of a snapshot as [0, 1] floats.
    core::ImageBatch toUnit(const core::ImageBatch8& b)
    {
        core::ImageBatch out{b.count, b.channels, b.height, b.width, {}};
        out.data.reserve(b.data.size());
        for (auto v : b.data)
            out.data.push_back(v / 255.0f);
        return out;
    }

} // namespace

PrivacyPanel::PrivacyPanel(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    auto* controls = new QHBoxLayout;
    m_inspect = new QPushButton(tr("Inspect current set"), this);
    m_inspect->setToolTip(tr("Nearest real images (L2, SSIM, PSNR), distances to closest record against held-out "
                             "images, and optionally membership inference"));
    m_membership = new QCheckBox(tr("Membership inference"), this);
    m_membership->setToolTip(tr("Trains target models on the synthetic set and on a random real subset of the same "
                                "size, then attacks both (minutes on a CPU)"));
    m_seeds = new QSpinBox(this);
    m_seeds->setRange(1, 20);
    m_seeds->setValue(2);
    m_seeds->setPrefix(tr("models: "));
    m_seeds->setToolTip(tr("Target models per training set (5 in the reference setting, docs/privacy.md)"));
    m_live = new QCheckBox(tr("Update while distilling"), this);
    m_live->setToolTip(tr("Re-inspect the latest set every few seconds during a run (without membership inference)"));
    controls->addWidget(m_inspect);
    controls->addWidget(m_membership);
    controls->addWidget(m_seeds);
    controls->addWidget(m_live);
    controls->addStretch(1);
    m_save = new QPushButton(tr("Save report…"), this);
    m_save->setObjectName(QStringLiteral("savePrivacyReport"));
    m_save->setToolTip(tr("The report shown as one self-contained HTML page (images included) and its numbers as JSON "
                          "beside it: for a review, or to compare sets later"));
    m_save->setEnabled(false);
    controls->addWidget(m_save);
    connect(m_save, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save the privacy report"), QStringLiteral("privacy.html"),
            tr("HTML (*.html)"));
        if (path.isEmpty())
            return;
        const QString problem = saveReport(path);
        if (!problem.isEmpty())
            QMessageBox::critical(this, tr("Cannot save the report"), problem);
    });
    layout->addLayout(controls);
    connect(m_inspect, &QPushButton::clicked, this, &PrivacyPanel::inspectRequested);

    auto* progressRow = new QHBoxLayout;
    m_progress = new QProgressBar(this);
    m_progress->setVisible(false);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("cancelInspection"));
    m_cancel->setToolTip(tr("End the inspection (membership inference takes minutes on a CPU)"));
    m_cancel->setVisible(false);
    connect(m_cancel, &QPushButton::clicked, this, &PrivacyPanel::cancelRequested);
    progressRow->addWidget(m_progress, 1);
    progressRow->addWidget(m_cancel);
    layout->addLayout(progressRow);

    auto* thresholds = new QLabel(QString::fromStdString(core::similarityThresholds()), this);
    thresholds->setWordWrap(true);
    layout->addWidget(thresholds);
    m_stale = new QLabel(this);
    m_stale->setObjectName(QStringLiteral("staleBanner"));
    m_stale->setWordWrap(true);
    m_stale->setStyleSheet(QStringLiteral("QLabel { background: #fff3c4; color: #5a4500; padding: 4px; }"));
    m_stale->setVisible(false);
    layout->addWidget(m_stale);
    m_summary = new QLabel(tr("Press “Inspect current set” to measure how close the synthetic images stay to real ones."), this);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_summary);
    // One plain line per finding; its technical detail (test, space, n, interval, baseline) one click below.
    m_findings = new QTreeWidget(this);
    m_findings->setObjectName(QStringLiteral("findings"));
    m_findings->setHeaderHidden(true);
    m_findings->setWordWrap(true);
    m_findings->setRootIsDecorated(true);
    m_findings->setVisible(false);
    m_findings->setToolTip(tr("Each line is one test's result in plain words; open it for the numbers behind it"));
    layout->addWidget(m_findings);

    auto* tabs = new QTabWidget(this);
    m_gallery = new QTableWidget(0, 5, this);
    m_gallery->setHorizontalHeaderLabels(
        {tr("synthetic"), tr("start image"), tr("nearest training image"), tr("nearest held-out image"), tr("level and flags")});
    m_gallery->verticalHeader()->setVisible(false);
    m_gallery->setIconSize(QSize(28 * kCellScale, 28 * kCellScale));
    m_gallery->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_gallery->setToolTip(tr("Closest first. The held-out column shows how close an image the method never read can "
                             "be: that is the yardstick for “close”."));
    tabs->addTab(m_gallery, tr("Nearest real images"));

    auto* movement = new QWidget(this);
    auto* movementLayout = new QVBoxLayout(movement);
    m_movementSlider = new QSlider(Qt::Horizontal, movement);
    m_movementSlider->setToolTip(tr("Scrub through the run's snapshots"));
    m_movement = new QLabel(tr("Snapshots of the run appear here while it distils."), movement);
    m_movement->setWordWrap(true);
    movementLayout->addWidget(new QLabel(tr("How far the images have moved from the images they started from:"), movement));
    movementLayout->addWidget(m_movementSlider);
    movementLayout->addWidget(m_movement, 1);
    connect(m_movementSlider, &QSlider::valueChanged, this, &PrivacyPanel::showMovement);
    tabs->addTab(movement, tr("Movement from the start"));
    // SSIM is computed only while this page is shown: during a run the GUI thread must not compete with the
    // distillation threads for the CPU.
    connect(tabs, &QTabWidget::currentChanged, this, [this] { showMovement(m_movementSlider->value()); });

    m_dcrPlot = new QCustomPlot(this);
    m_dcrPlot->xAxis->setLabel(tr("distance to closest record (pixel L2)"));
    m_dcrPlot->yAxis->setLabel(tr("share of images"));
    m_dcrPlot->legend->setVisible(true);
    placeLegendBelow(m_dcrPlot);
    m_dcrPlot->setToolTip(tr("Synthetic images should not sit closer to training images than unseen real images do"));
    tabs->addTab(m_dcrPlot, tr("Distances to closest record"));

    m_membershipTable = new QTableWidget(0, 7, this);
    m_membershipTable->setHorizontalHeaderLabels({tr("pool"), tr("models trained on"), tr("members / non-members"), tr("AUC"),
        tr("TPR @ 1 % FPR"), tr("TPR @ 0.1 % FPR"), tr("state")});
    m_membershipTable->verticalHeader()->setVisible(false);
    m_membershipTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_membershipTable->setToolTip(tr("Loss-threshold attack, bootstrap 95 % intervals; every row for the synthetic set "
                                     "stands next to the same attack on a random real subset of the same size"));
    tabs->addTab(m_membershipTable, tr("Membership inference"));
    layout->addWidget(tabs, 1);

    auto* footer = new QLabel(tr("These tests can reveal leakage; passing them does not prove privacy. Pixel "
                                 "similarity understates re-identification risk for medical images."),
        this);
    footer->setWordWrap(true);
    QFont bold = footer->font();
    bold.setBold(true);
    footer->setFont(bold);
    layout->addWidget(footer);
}

bool PrivacyPanel::membershipRequested() const
{
    return m_membership->isChecked();
}

int PrivacyPanel::membershipSeeds() const
{
    return m_seeds->value();
}

bool PrivacyPanel::liveUpdates() const
{
    return m_live->isChecked();
}

int PrivacyPanel::galleryRows() const
{
    return m_gallery->rowCount();
}

void PrivacyPanel::setBusy(const QString& stage, int done, int total)
{
    if (done <= 0 || stage != m_stage) {
        m_stage = stage;
        m_stageTimer.start();
    }
    const double elapsed = static_cast<double>(m_stageTimer.elapsed()) / 1000.0;
    const double left = timeLeft(done, total, elapsed);
    const QString eta = left >= 0 ? tr(", ETA %1").arg(formatDuration(left)) : QString();
    m_cancel->setVisible(true);
    m_progress->setVisible(true);
    m_progress->setRange(0, std::max(1, total));
    m_progress->setValue(done);
    m_progress->setFormat(stage + QStringLiteral(" %p%") + eta);
    m_inspect->setEnabled(false);
}

void PrivacyPanel::setCancelled()
{
    m_progress->setVisible(false);
    m_cancel->setVisible(false);
    m_inspect->setEnabled(true);
    m_summary->setText(tr("The inspection was cancelled."));
}

void PrivacyPanel::setFailed(const QString& message)
{
    m_progress->setVisible(false);
    m_cancel->setVisible(false);
    m_inspect->setEnabled(true);
    m_summary->setText(tr("The inspection failed: %1").arg(message));
}

void PrivacyPanel::refuse(const QString& reason)
{
    m_progress->setVisible(false);
    m_cancel->setVisible(false);
    m_inspect->setEnabled(true);
    m_summary->setText(tr("This check cannot run on the current data: %1").arg(reason));
}

void PrivacyPanel::markStale(const QString& why)
{
    if (m_findings->topLevelItemCount() == 0 && m_gallery->rowCount() == 0)
        return; // nothing shown that could be mistaken for the new set's
    m_stale->setText(tr("These results are for %1. %2 Press “Inspect current set” to measure it.").arg(m_subject, why));
    m_stale->setVisible(true);
}

bool PrivacyPanel::isStale() const
{
    return m_stale->isVisibleTo(this);
}

QString PrivacyPanel::summaryText() const
{
    return m_summary->text();
}

QStringList PrivacyPanel::findingHeadlines() const
{
    QStringList out;
    for (int i = 0; i < m_findings->topLevelItemCount(); ++i)
        out << m_findings->topLevelItem(i)->text(0);
    return out;
}

void PrivacyPanel::clear()
{
    m_report.reset();
    m_save->setEnabled(false);
    m_findings->clear();
    m_findings->setVisible(false);
    m_stale->setVisible(false);
    m_gallery->setRowCount(0);
    m_membershipTable->setRowCount(0);
    m_dcrPlot->clearGraphs();
    m_dcrPlot->replot();
    m_history.clear();
    m_movementSlider->setRange(0, 0);
}

QString PrivacyPanel::saveReport(const QString& htmlPath) const
{
    if (!m_report)
        return tr("No report to save yet: inspect a set first.");
    QString jsonPath = htmlPath;
    if (jsonPath.endsWith(QLatin1String(".html"), Qt::CaseInsensitive))
        jsonPath.chop(5);
    jsonPath += QStringLiteral(".json");
    for (const auto& [path, text] : {std::pair{htmlPath, core::privacyHtml(*m_report)}, std::pair{jsonPath, core::privacyJson(*m_report)}}) {
        QSaveFile file(path); // written whole or not at all, like every file Distillery writes
        if (!file.open(QIODevice::WriteOnly) || file.write(text.data(), static_cast<qint64>(text.size())) != static_cast<qint64>(text.size())
            || !file.commit())
            return tr("%1: %2").arg(path, file.errorString());
    }
    return {};
}

void PrivacyPanel::setReport(const core::PrivacyReport& r)
{
    m_report = r;
    m_save->setEnabled(true);
    m_progress->setVisible(false);
    m_cancel->setVisible(false);
    m_inspect->setEnabled(true);
    m_stale->setVisible(false);
    m_subject = tr("the %1 set (IPC %2) on %3").arg(QString::fromStdString(r.method)).arg(r.ipc).arg(QString::fromStdString(r.datasetName));
    m_summary->setText(tr("Results for %1:").arg(m_subject));
    m_findings->clear();
    for (const auto& f : r.findings) {
        auto* item = new QTreeWidgetItem(m_findings, {QString::fromStdString(f.headline)});
        auto* detail = new QTreeWidgetItem(item, {QString::fromStdString(f.detail)});
        detail->setForeground(0, palette().color(QPalette::PlaceholderText));
    }
    m_findings->setVisible(!r.findings.empty());

    m_gallery->setRowCount(static_cast<int>(r.images.size()));
    for (int i = 0; i < static_cast<int>(r.images.size()); ++i) {
        const auto& p = r.images[static_cast<std::size_t>(i)];
        m_gallery->setItem(i, 0, imageItem(r.syntheticPixels, i, tr("#%1\nclass %2").arg(p.index).arg(p.label)));
        m_gallery->setItem(i, 1,
            p.initIndex >= 0 ? imageItem(r.initPixels, i,
                                   tr("#%1\nrank %2\nSSIM %3").arg(p.initIndex).arg(p.initRank).arg(number(p.initImage.ssim)))
                             : new QTableWidgetItem(tr("noise")));
        m_gallery->setItem(i, 2, imageItem(r.nearestTrainingPixels, i, matchText(p.nearestTraining.front())));
        m_gallery->setItem(i, 3, imageItem(r.nearestHeldOutPixels, i, matchText(p.nearestHeldOut)));
        QStringList flags{QString::fromStdString(p.level)};
        if (p.exactCopy)
            flags << tr("exact copy");
        if (p.ownInit)
            flags << tr("nearest is its start image");
        if (p.closerToTraining)
            flags << tr("closer to training than held-out");
        if (p.otherClass)
            flags << tr("neighbour of another class");
        flags << tr("NNDR %1").arg(number(p.nndr));
        auto* level = new QTableWidgetItem(flags.join(u'\n'));
        // One neutral hue, darker for closer: no green that reads as "safe", no verdict in the colour.
        level->setBackground(p.level == "high" ? QColor(70, 90, 120) : p.level == "elevated" ? QColor(160, 175, 195) : QColor(232, 236, 242));
        level->setForeground(p.level == "high" ? QColor(Qt::white) : QColor(Qt::black));
        m_gallery->setItem(i, 4, level);
    }
    m_gallery->resizeColumnsToContents();
    m_gallery->resizeRowsToContents();

    // DCR histograms, as shares so the three series compare despite different sizes.
    m_dcrPlot->clearGraphs();
    const std::vector<std::pair<QString, const std::vector<double>*>> series = {
        {tr("synthetic → training"), &r.dcr.syntheticToTraining},
        {tr("synthetic → held-out"), &r.dcr.syntheticToHeldOut},
        {tr("held-out real → training (baseline)"), &r.dcr.heldOutToTraining}};
    double lo = 1e300, hi = -1e300;
    for (const auto& [name, values] : series)
        for (double v : *values) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
    const QColor colours[] = {QColor(192, 57, 43), QColor(36, 113, 163), QColor(127, 140, 141)};
    constexpr int kBins = 25;
    for (std::size_t s = 0; s < series.size() && hi > lo; ++s) {
        QVector<double> x(kBins), y(kBins, 0.0);
        for (int b = 0; b < kBins; ++b)
            x[b] = lo + (b + 0.5) * (hi - lo) / kBins;
        for (double v : *series[s].second)
            y[std::min(kBins - 1, static_cast<int>((v - lo) / (hi - lo) * kBins))] += 1.0 / series[s].second->size();
        QCPGraph* graph = m_dcrPlot->addGraph();
        graph->setData(x, y, true);
        graph->setName(series[s].first);
        graph->setPen(QPen(colours[s], 2));
        graph->setLineStyle(QCPGraph::lsStepCenter);
    }
    m_dcrPlot->rescaleAxes();
    m_dcrPlot->replot();

    m_membershipTable->setRowCount(0);
    auto addRow = [this](const QStringList& cells) {
        const int row = m_membershipTable->rowCount();
        m_membershipTable->insertRow(row);
        for (int c = 0; c < cells.size(); ++c)
            m_membershipTable->setItem(row, c, new QTableWidgetItem(cells[c]));
    };
    for (const auto& m : r.membership)
        addRow({QString::fromStdString(m.pool), QString::fromStdString(m.target), QStringLiteral("%1 / %2").arg(m.members).arg(m.nonMembers),
            interval(m.auc), m.tprAt1Valid ? interval(m.tprAt1) : tr("n/a (< 100 non-members)"),
            m.tprAt01Valid ? interval(m.tprAt01) : tr("n/a (< 1,000 non-members)"), QString::fromStdString(m.state)});
    for (const auto& d : r.differences)
        addRow({QString::fromStdString(d.pool), tr("AUC(synthetic) − AUC(random real)"), QString(), interval(d.aucDifference),
            QString(), QString(), QString::fromStdString(d.state)});
    if (r.membership.empty())
        addRow({tr("not run"), tr("tick “Membership inference” and inspect again"), {}, {}, {}, {}, {}});
    m_membershipTable->resizeColumnsToContents();
}

void PrivacyPanel::addSnapshot(const core::Snapshot& snapshot)
{
    if (snapshot.images.count == 0)
        return;
    if (snapshot.iteration == 0 || (!m_history.empty() && snapshot.iteration < m_history.back().iteration))
        m_history.clear(); // a new run
    if (!m_history.empty() && m_history.back().iteration == snapshot.iteration)
        return;
    if (m_history.size() >= kMaxHistory) {
        std::vector<core::Snapshot> thinned;
        for (std::size_t i = 0; i < m_history.size(); i += 2)
            thinned.push_back(std::move(m_history[i])); // the first (start) snapshot always stays
        m_history = std::move(thinned);
    }
    m_history.push_back(snapshot);
    const bool atEnd = m_movementSlider->value() == m_movementSlider->maximum();
    m_movementSlider->setRange(0, static_cast<int>(m_history.size()) - 1);
    if (atEnd)
        m_movementSlider->setValue(m_movementSlider->maximum());
}

void PrivacyPanel::showMovement(int historyIndex)
{
    if (historyIndex < 0 || historyIndex >= static_cast<int>(m_history.size()) || !m_movement->isVisible())
        return;
    const core::Snapshot& start = m_history.front();
    const core::Snapshot& now = m_history[static_cast<std::size_t>(historyIndex)];
    if (now.images.count != start.images.count || now.images.imageSize() != start.images.imageSize()) {
        m_movement->setText(tr("Iteration %1: the set changed size since the start (a coreset grows one image per "
                               "class and step); every image of it is a real training image.")
                                .arg(now.iteration));
        return;
    }
    bool fromReal = false;
    for (auto index : start.initIndices)
        fromReal |= index >= 0;
    const core::ImageBatch a = toUnit(now.images), b = toUnit(start.images);
    const std::vector<double> ssim = core::structuralSimilarity(a, b);
    double l2 = 0;
    for (std::size_t i = 0; i < a.data.size(); ++i)
        l2 += (a.data[i] - b.data[i]) * (a.data[i] - b.data[i]);
    l2 = std::sqrt(l2 / std::max(1, a.count));
    const auto [minIt, maxIt] = std::minmax_element(ssim.begin(), ssim.end());
    double mean = 0;
    for (double s : ssim)
        mean += s;
    mean /= std::max<std::size_t>(1, ssim.size());
    m_movement->setText(
        tr("Iteration %1 (snapshot %2 of %3): SSIM to the start image — mean %4, lowest %5, highest %6; mean pixel "
           "L2 %7 (8-bit snapshots).\n%8")
            .arg(now.iteration)
            .arg(historyIndex + 1)
            .arg(m_history.size())
            .arg(number(mean))
            .arg(number(*minIt))
            .arg(number(*maxIt))
            .arg(number(l2))
            .arg(fromReal ? tr("These images started as real training images: a high SSIM to the start means the "
                               "synthetic image still shows that real image (real-initialisation leak).")
                          : tr("These images started as noise: similarity to the start says nothing about real "
                               "images; see the nearest real images instead.")));
}

} // namespace distillery::ui

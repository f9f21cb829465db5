// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/mainwindow.h"

#include "controller/formationexporter.h"
#include "controller/runcontroller.h"
#include "controller/runstatus.h"
#include "controller/snapshotimage.h"
#include "widgets/controlpanel.h"
#include "widgets/curvespanel.h"
#include "widgets/imagedialog.h"
#include "widgets/lessonbar.h"
#include "widgets/privacypanel.h"
#include "widgets/selectionpanel.h"
#include "widgets/syntheticgrid.h"
#include "widgets/timelinebar.h"

#include <distillery/datasets.h>
#include <distillery/device.h>
#include <distillery/error.h>
#include <distillery/session.h>
#include <distillery/syntheticio.h>
#include <distillery/timeline.h>
#include <distillery/version.h>

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QProgressDialog>
#include <QScrollArea>
#include <QSettings>
#include <QSlider>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTextStream>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <memory>
#include <QToolBar>
#include <QToolButton>

namespace distillery::ui {
namespace {

    /// Presentation mode's type size, relative to the desktop's: legible from the back of a classroom on a projector.
    constexpr double kPresentationScale = 1.6;
    constexpr int kSettingsWidth = 380;
    const QList<int> kDeskSplit{700, 560}; // the images and the curves, side by side


    constexpr int kMaxRecentRuns = 10;
    // Published full-data accuracy of the reference ConvNet on Fashion-MNIST (docs/methods.md §11), shown until a
    // measured value exists, and labelled as published.
    constexpr double kPublishedFashionMnistFullData = 0.935;

    QString fromStd(const std::string& s) { return QString::fromStdString(s); }

    /// Resident memory of this process, from /proc (Linux); 0 elsewhere.
    double residentBytes()
    {
        QFile statm(QStringLiteral("/proc/self/statm"));
        if (!statm.open(QIODevice::ReadOnly))
            return 0;
        const QList<QByteArray> fields = statm.readAll().split(' ');
        return fields.size() > 1 ? fields[1].toDouble() * 4096.0 : 0;
    }

    /// A snapshot of a set loaded from a file, for the grid.
    core::Snapshot snapshotOf(const core::SyntheticSet& set)
    {
        core::Snapshot s;
        s.images = core::toDisplayPixels(set);
        s.labels = set.labels;
        s.classNames = set.classNames;
        s.initIndices = set.initIndices;
        s.softLabels = set.softLabels;
        s.learnedLr = set.learnedLr;
        s.ipc = set.ipc();
        if (const auto it = set.metadata.find("iteration"); it != set.metadata.end())
            s.iteration = std::atoi(it->second.c_str());
        if (const auto it = set.metadata.find("iterations"); it != set.metadata.end())
            s.totalIterations = std::atoi(it->second.c_str());
        return s;
    }

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_controller(new RunController(this))
{
    setWindowTitle(tr("Distillery"));
    setObjectName(QStringLiteral("MainWindow"));

    m_controls = new ControlPanel;
    auto* controlsScroll = new QScrollArea;
    controlsScroll->setWidget(m_controls);
    controlsScroll->setWidgetResizable(true);
    // Settings scroll vertically only: lists shrink to the panel (ControlPanel) instead of widening it.
    controlsScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto* dock = new QDockWidget(tr("Settings"), this);
    m_settingsDock = dock;
    dock->setObjectName(QStringLiteral("SettingsDock"));
    dock->setWidget(controlsScroll);
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::LeftDockWidgetArea, dock);
    resizeDocks({dock}, {kSettingsWidth}, Qt::Horizontal);

    m_grid = new SyntheticGrid;
    auto* gridScroll = new QScrollArea;
    m_gridArea = gridScroll;
    gridScroll->setWidget(m_grid);
    gridScroll->setWidgetResizable(false);
    gridScroll->setAlignment(Qt::AlignCenter);
    gridScroll->installEventFilter(this); // a resized area fits the grid again (fitZoom)
    m_curves = new CurvesPanel;
    m_privacy = new PrivacyPanel;
    auto* tabs = new QTabWidget;
    tabs->addTab(m_curves, tr("Curves"));
    // In a scroll area: its rows of controls and tables must not set a minimum width on the whole right side (in
    // presentation mode's large type they would squeeze the images).
    auto* privacyScroll = new QScrollArea;
    privacyScroll->setWidget(m_privacy);
    privacyScroll->setWidgetResizable(true);
    privacyScroll->setFrameShape(QFrame::NoFrame);
    tabs->addTab(privacyScroll, tr("Privacy"));
    m_selection = new SelectionPanel;
    auto* selectionScroll = new QScrollArea;
    selectionScroll->setWidget(m_selection);
    selectionScroll->setWidgetResizable(true);
    selectionScroll->setFrameShape(QFrame::NoFrame);
    tabs->addTab(selectionScroll, tr("Data selection"));
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    m_centralSplitter = splitter;
    splitter->setObjectName(QStringLiteral("CentralSplitter"));
    // The images with their timeline underneath.
    m_timeline = new TimelineBar;
    auto* imagesBox = new QWidget;
    auto* imagesLayout = new QVBoxLayout(imagesBox);
    imagesLayout->setContentsMargins(0, 0, 0, 0);
    imagesLayout->setSpacing(0);
    imagesLayout->addWidget(gridScroll, 1);
    imagesLayout->addWidget(m_timeline);
    splitter->addWidget(imagesBox);
    splitter->addWidget(tabs);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes(kDeskSplit);
    setCentralWidget(splitter);

    m_iterationLabel = new QLabel(tr("Ready"));
    m_rateLabel = new QLabel;
    m_deviceLabel = new QLabel;
    m_memoryLabel = new QLabel;
    m_progress = new QProgressBar;
    m_progress->setMaximumWidth(180);
    m_progress->setTextVisible(true);
    m_progress->setToolTip(tr("Iterations done"));
    // Evaluations beside the run (Evaluate now, baselines): their progress with its ETA, and Cancel.
    m_evalBox = new QWidget;
    auto* evalLayout = new QHBoxLayout(m_evalBox);
    evalLayout->setContentsMargins(0, 0, 0, 0);
    m_evalProgress = new QProgressBar(m_evalBox);
    m_evalProgress->setMinimumWidth(170);
    m_evalProgress->setFormat(tr("eval %p%"));
    m_evalProgress->setToolTip(tr("Evaluation running beside distillation"));
    auto* cancelEval = new QToolButton(m_evalBox);
    cancelEval->setObjectName(QStringLiteral("cancelEvaluation"));
    cancelEval->setText(tr("Cancel"));
    cancelEval->setToolTip(tr("End the evaluations running beside the run (distillation goes on)"));
    connect(cancelEval, &QToolButton::clicked, this, [this] {
        m_controller->cancelEvaluations();
        statusBar()->showMessage(tr("Cancelling the evaluations…"), 5000);
    });
    evalLayout->addWidget(m_evalProgress);
    evalLayout->addWidget(cancelEval);
    m_evalBox->setVisible(false);
    statusBar()->addWidget(m_iterationLabel);
    statusBar()->addWidget(m_progress);
    statusBar()->addWidget(m_rateLabel);
    statusBar()->addPermanentWidget(m_evalBox);
    statusBar()->addPermanentWidget(m_deviceLabel);
    statusBar()->addPermanentWidget(m_memoryLabel);

    buildActions();
    // Under the run controls, on a row of its own: presentation mode only.
    m_lessonBar = new LessonBar(*m_controls);
    m_lessonToolBar = new QToolBar(tr("Lesson"), this);
    m_lessonToolBar->setObjectName(QStringLiteral("LessonToolBar"));
    m_lessonToolBar->setMovable(false);
    m_lessonToolBar->addWidget(m_lessonBar);
    addToolBarBreak(Qt::TopToolBarArea);
    addToolBar(Qt::TopToolBarArea, m_lessonToolBar);
    m_lessonToolBar->hide();
    buildMenus();
    connectController();

    connect(m_controls, &ControlPanel::openDataSourceRequested, this, &MainWindow::openDataSource);
    connect(m_controls, &ControlPanel::evaluationIntervalChanged, m_controller, &RunController::setEvaluationInterval);
    connect(m_grid, &SyntheticGrid::imageClicked, this, [this](int index) {
        // Not modal, and with the run's shortcuts: a lesson goes on (F7 steps) while an image is looked at closely.
        auto* dialog = new ImageDialog(m_grid->snapshot(), m_grid->initialSnapshot(), index, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->addActions({m_startAction, m_pauseAction, m_stepAction, m_stopAction, m_evaluateAction, m_presentationAction});
        dialog->show();
    });
    connect(m_timeline, &TimelineBar::frameChosen, this, [this](const core::Snapshot& frame) {
        m_grid->setSnapshot(frame, gridImage(frame));
        fitZoom();
    });
    connect(m_timeline, &TimelineBar::latestChosen, this, &MainWindow::showLatest);
    connect(m_timeline, &TimelineBar::problem, this, [this](const QString& message) {
        statusBar()->showMessage(tr("Cannot show this frame: %1").arg(message), 10000);
    });
    m_formationExporter = new FormationExporter(this);
    connect(m_grid, &SyntheticGrid::zoomChanged, this, &MainWindow::showZoom);
    // A Ctrl + wheel zoom is the user's choice: a new snapshot must not fit it away again.
    connect(m_grid, &SyntheticGrid::zoomedByWheel, this, [this] { m_fitAction->setChecked(false); });
    connect(m_curves, &CurvesPanel::fullDataRequested, this, [this] {
        if (!m_controller->resolvedConfig()) {
            QMessageBox::information(this, tr("Full-data accuracy"), tr("Start a run first: the full-data accuracy uses "
                                                                        "its data set, network and protocol."));
            return;
        }
        statusBar()->showMessage(tr("Training on the full training set (this takes a while on a CPU)…"), 5000);
        m_controller->computeFullDataBaseline();
    });

    connect(m_privacy, &PrivacyPanel::inspectRequested, this, [this] { inspectPrivacy(m_privacy->membershipRequested()); });
    auto* liveInspection = new QTimer(this);
    liveInspection->setInterval(5000);
    connect(liveInspection, &QTimer::timeout, this, [this] {
        if (m_privacy->liveUpdates() && m_controller->isActive() && !m_controller->inspectionRunning() && !m_pendingInspection)
            inspectPrivacy(false);
    });
    liveInspection->start();

    restoreSettings();
    m_controller->setEvaluationInterval(m_controls->evaluationInterval());
    updateActions();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildActions()
{
    auto* toolbar = addToolBar(tr("Run"));
    toolbar->setObjectName(QStringLiteral("RunToolBar"));
    auto make = [&](const QString& text, const QString& tip, QKeySequence key, void (MainWindow::*slot)()) {
        auto* action = new QAction(text, this);
        action->setToolTip(tip);
        action->setStatusTip(tip);
        action->setShortcut(key);
        connect(action, &QAction::triggered, this, slot);
        toolbar->addAction(action);
        return action;
    };
    m_startAction = make(tr("Start"), tr("Start distilling with the settings on the left"), QKeySequence(Qt::Key_F5),
        &MainWindow::startRun);
    m_pauseAction = make(tr("Pause"), tr("Pause or resume the run"), QKeySequence(Qt::Key_F6), &MainWindow::togglePause);
    m_stepAction = make(tr("Step"), tr("Run exactly one iteration (pauses first): for a lesson"), QKeySequence(Qt::Key_F7),
        &MainWindow::stepRun);
    m_stopAction = make(tr("Stop"), tr("Stop after the current iteration; the last set and checkpoint are saved"),
        QKeySequence(Qt::Key_F8), &MainWindow::stopRun);
    m_resetAction = make(tr("Reset"), tr("Clear the images and curves"), QKeySequence(), &MainWindow::resetRun);
    toolbar->addSeparator();
    m_evaluateAction = make(tr("Evaluate now"), tr("Train fresh networks on a copy of the current set and test them "
                                                   "(distillation goes on meanwhile)"),
        QKeySequence(Qt::Key_F9), &MainWindow::evaluateNow);
    toolbar->addSeparator();
    // Zoom in whole steps (crisp pixels): fit to the area (the default, kept while the window changes), 1:1, ±1.
    const auto zoomAction = [&](const QString& name, const QString& text, const QString& tip, QKeySequence key) {
        auto* action = new QAction(text, this);
        action->setObjectName(name);
        action->setToolTip(tip);
        action->setShortcut(key);
        toolbar->addAction(action);
        return action;
    };
    m_fitAction = zoomAction(QStringLiteral("zoomFit"), tr("Fit"), tr("Largest whole-pixel zoom that shows every image (Ctrl+0)"),
        QKeySequence(Qt::CTRL | Qt::Key_0));
    m_fitAction->setCheckable(true);
    m_fitAction->setChecked(true);
    connect(m_fitAction, &QAction::triggered, this, [this] { zoomToFit(); });
    connect(zoomAction(QStringLiteral("zoomOne"), tr("1:1"), tr("One screen pixel per image pixel (Ctrl+1)"),
                QKeySequence(Qt::CTRL | Qt::Key_1)),
        &QAction::triggered, this, [this] { setZoom(1); });
    connect(zoomAction(QStringLiteral("zoomOut"), tr("−"), tr("Smaller (Ctrl+minus, or Ctrl + wheel over the images)"),
                QKeySequence::ZoomOut),
        &QAction::triggered, this, [this] { setZoom(m_grid->zoom() - 1); });
    m_zoomLabel = new QLabel;
    m_zoomLabel->setToolTip(tr("Screen pixels per image pixel"));
    toolbar->addWidget(m_zoomLabel);
    connect(zoomAction(QStringLiteral("zoomIn"), tr("+"), tr("Larger (Ctrl+plus, or Ctrl + wheel over the images)"),
                QKeySequence::ZoomIn),
        &QAction::triggered, this, [this] { setZoom(m_grid->zoom() + 1); });
    showZoom();
}

void MainWindow::zoomToFit()
{
    m_fitAction->setChecked(true);
    fitZoom();
    showZoom();
}

void MainWindow::showZoom()
{
    m_zoomLabel->setText(tr("×%1").arg(m_grid->zoom()));
}

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QMenu* data = file->addMenu(tr("Open data set"));
    const std::pair<const char*, const char*> kinds[] = {{"idx", "MNIST-family IDX folder…"},
        {"cifar10", "CIFAR-10 binary folder…"}, {"cifar100", "CIFAR-100 binary folder…"},
        {"folder", "Image folder…"}, {"medmnist", "MedMNIST .npz…"}};
    for (const auto& [kind, label] : kinds) {
        const QString k = QLatin1String(kind);
        data->addAction(tr(label), this, [this, k] { openDataSource(k); });
    }
    file->addAction(tr("Open synthetic set or run folder…"), QKeySequence::Open, this,
        qOverload<>(&MainWindow::openSyntheticSet));
    m_continueAction = file->addAction(tr("Continue a stopped run…"), this, &MainWindow::chooseRunToContinue);
    m_continueAction->setToolTip(tr("Go on from a run folder's checkpoint, in the same folder, as if it had never stopped"));
    QMenu* exportMenu = file->addMenu(tr("Export synthetic set"));
    m_exportMenuAction = exportMenu->menuAction();
    exportMenu->addAction(tr("safetensors…"), this, [this] { exportSet(QStringLiteral("safetensors")); });
    exportMenu->addAction(tr("npz…"), this, [this] { exportSet(QStringLiteral("npz")); });
    exportMenu->addAction(tr("PNG grid…"), this, [this] { exportSet(QStringLiteral("grid")); });
    exportMenu->addAction(tr("PNG per image, class folders…"), this, [this] { exportSet(QStringLiteral("folder")); });
    m_formationMenu = file->addMenu(tr("Export formation"));
    m_formationMenu->setToolTip(tr("How the set formed, from the run's timeline"));
    m_formationMenu->setToolTipsVisible(true);
    m_formationMenu->addAction(tr("Animated GIF…"), this, [this] { chooseFormationExport(QStringLiteral("gif")); })
        ->setToolTip(tr("Every kept frame (up to 100), looping: for slides and web pages"));
    m_formationMenu->addAction(tr("PNG strip…"), this, [this] { chooseFormationExport(QStringLiteral("png")); })
        ->setToolTip(tr("Eight frames side by side, from the start to the latest: for a paper or a handout"));
    file->addSeparator();
    file->addAction(tr("Save configuration…"), QKeySequence::Save, this, &MainWindow::saveConfig);
    file->addAction(tr("Load configuration…"), this, &MainWindow::loadConfig);
    m_recentMenu = file->addMenu(tr("Recent runs"));
    file->addSeparator();
    file->addAction(tr("Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* run = menuBar()->addMenu(tr("&Run"));
    for (QAction* a : {m_startAction, m_pauseAction, m_stepAction, m_stopAction, m_resetAction, m_evaluateAction})
        run->addAction(a);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    m_presentationAction = view->addAction(tr("Presentation mode"));
    m_presentationAction->setCheckable(true);
    m_presentationAction->setShortcut(QKeySequence(Qt::Key_F11));
    m_presentationAction->setToolTip(tr("Large type for a projector: the settings give way to a slim bar with the "
                                        "method and images per class; the images and curves fill the window"));
    connect(m_presentationAction, &QAction::toggled, this, &MainWindow::setPresentationMode);
    addAction(m_presentationAction); // the shortcut works with the menu bar hidden too
    view->addSeparator();
    // The timeline from the keyboard; on the window, so they work in presentation mode too.
    const auto timelineAction = [&](const QString& text, QKeySequence key, void (TimelineBar::*slot)()) {
        QAction* action = view->addAction(text, m_timeline, slot);
        action->setShortcut(key);
        addAction(action);
    };
    timelineAction(tr("Earlier frame"), QKeySequence(Qt::ALT | Qt::Key_Left), &TimelineBar::earlier);
    timelineAction(tr("Later frame"), QKeySequence(Qt::ALT | Qt::Key_Right), &TimelineBar::later);
    timelineAction(tr("Latest set"), QKeySequence(Qt::ALT | Qt::Key_End), &TimelineBar::followLatest);
    timelineAction(tr("Replay the formation"), QKeySequence(Qt::ALT | Qt::Key_P), &TimelineBar::togglePlay);
    view->addSeparator();
    view->addAction(m_settingsDock->toggleViewAction());
    view->addAction(tr("Reset layout"), this, &MainWindow::resetLayout);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("About Distillery"), this, [this] {
        QMessageBox::about(this, tr("About Distillery"),
            tr("<h3>Distillery %1</h3><p>Interactive dataset distillation: watch a tiny synthetic training set "
               "form, and measure it honestly.</p><p>LibTorch %2. %3</p><p>Licence: GPL-3.0-or-later.</p>")
                .arg(QApplication::applicationVersion(), fromStd(core::torchVersion()), fromStd(core::buildFeatures())));
    });
    help->addAction(tr("About Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::connectController()
{
    RunController* c = m_controller;
    connect(c, &RunController::stateChanged, this, [this](RunController::State) { updateActions(); });
    connect(c, &RunController::prepared, this, [this](const core::RunConfig& resolved, const QString& runDir) {
        m_lastConfig = resolved;
        m_lastRunDir = runDir;
        m_timeline->setRunFolder(runDir); // a continued run brings its earlier frames
        m_device = fromStd(core::resolveDevice(resolved.device));
        m_deviceLabel->setText(tr("Device: %1").arg(m_device));
        m_status.prepared(resolved.iterations);
        showStatus();
        showSelection(runDir);
        // The resolved config is shown beside the request's auto fields, never written back into it: the next
        // run starts from what the user set (docs/architecture.md, "Request and resolved").
        applyBaselineCache();
        if (!runDir.isEmpty())
            addRecentRun(runDir);
    });
    connect(c, &RunController::dataLoaded, m_controls, &ControlPanel::setDataInfo);
    connect(c, &RunController::stageProgressed, this,
        [this](const QString& stage, const QString& unit, qint64 done, qint64 total) {
            if (stage != m_stage || done <= 1) {
                m_stage = stage;
                m_stageTimer.start();
                m_stageDoneAtStart = done; // the work before this report was done before the timer started
            }
            m_status.stage(stage, unit, done, total, static_cast<double>(m_stageTimer.elapsed()) / 1000.0, m_stageDoneAtStart);
            showStatus();
        });
    connect(c, &RunController::finalEvaluationProgressed, this, [this](int model, int models, int done, int total) {
        if (m_status.phase() != RunStatus::Phase::Evaluating)
            m_evalTimer.start();
        m_status.finalEvaluation(model, models, done, total, static_cast<double>(m_evalTimer.elapsed()) / 1000.0);
        showStatus();
    });
    connect(c, &RunController::historyLoaded, this, [this](const core::RunHistory& history) { showHistory(history); });
    connect(c, &RunController::stepsCompleted, this, [this](const QList<core::StepStats>& steps) {
        m_curves->appendSteps(steps);
        updateStatus(steps.back());
    });
    connect(c, &RunController::snapshotReady, this, [this](const core::Snapshot& snapshot, const QImage& grid) {
        m_curves->setClassNames(snapshot.classNames);
        m_latest = snapshot;
        m_latestGrid = grid;
        showLatest();
        m_privacy->addSnapshot(snapshot);
    });
    connect(c, &RunController::timelineFrameKept, m_timeline, &TimelineBar::addFrame);
    connect(c, &RunController::syntheticSetReady, this, [this](const core::SyntheticSet& set) {
        m_lastSet = set;
        m_lastSetFolder = m_lastRunDir;
        if (m_pendingInspection) {
            const bool membership = *m_pendingInspection;
            m_pendingInspection.reset();
            startInspection(set, membership);
        }
        if (m_pendingExport) {
            const auto [format, path] = *m_pendingExport;
            m_pendingExport.reset();
            writeExport(set, format, path);
        }
    });
    connect(c, &RunController::evaluated, this, [this](const core::EvalResult& r) {
        m_curves->addEvaluation(r);
        statusBar()->showMessage(tr("Accuracy at iteration %1: %2").arg(r.iteration).arg(fromStd(r.summary())), 10000);
    });
    connect(c, &RunController::evaluationProgressed, this, [this](int done, int total) {
        if (done <= 1 || total != m_evalProgress->maximum())
            m_jobTimer.start(); // another job
        const double elapsed = static_cast<double>(m_jobTimer.elapsed()) / 1000.0;
        const QString eta = formatDuration(timeLeft(done, total, elapsed));
        m_evalBox->setVisible(done < total && m_controller->evaluationsInFlight() > 0);
        m_evalProgress->setRange(0, total);
        m_evalProgress->setValue(done);
        m_evalProgress->setFormat(tr("eval %p%, ETA %1").arg(eta));
    });
    connect(c, &RunController::evaluationsIdle, this, [this] { m_evalBox->setVisible(false); });
    connect(c, &RunController::inspectionCancelled, m_privacy, &PrivacyPanel::setCancelled);
    connect(m_privacy, &PrivacyPanel::cancelRequested, c, &RunController::cancelInspection);
    connect(c, &RunController::baselineReady, this, [this](EvalWorker::Job job, const core::EvalResult& r) {
        QSettings settings;
        if (job == EvalWorker::Job::RandomReal) {
            m_curves->setRandomBaseline(r);
            if (m_lastConfig)
                settings.setValue(QStringLiteral("baselines/random/") + baselineKey(*m_lastConfig),
                    QVariantList{r.mean, r.std, static_cast<int>(r.accuracies.size())});
        } else {
            m_curves->setFullDataReference(r.mean, tr("measured, n = %1").arg(r.accuracies.size()));
            if (m_lastConfig)
                settings.setValue(QStringLiteral("baselines/full/") + baselineKey(*m_lastConfig),
                    QVariantList{r.mean, r.std, static_cast<int>(r.accuracies.size())});
        }
    });
    connect(c, &RunController::messageLogged, this, [this](const QString& line) { statusBar()->showMessage(line, 8000); });
    connect(c, &RunController::inspected, m_privacy, &PrivacyPanel::setReport);
    connect(c, &RunController::inspectionProgressed, m_privacy, &PrivacyPanel::setBusy);
    connect(c, &RunController::inspectionFailed, m_privacy, &PrivacyPanel::setFailed);
    connect(c, &RunController::runFinished, this, [this](const core::RunResult& result) {
        if (!result.runDir.empty()) {
            // Exports and later evaluations use the saved full-precision set.
            try {
                m_lastSet = core::loadSyntheticSet(result.runDir);
                m_lastSetFolder = fromStd(result.runDir);
            } catch (const core::Error&) {
                m_lastSet.reset(); // a stopped coreset run before its first step has no set
            }
        }
        m_status.ended(result.stopped, result.iterations);
        showStatus();
        if (m_status.stoppedWhilePreparing())
            statusBar()->showMessage(tr("Stopped while preparing, before any set existed. Finished experts and scores, and "
                                        "the progress of the one in training, are kept: Start continues from them."));
        else
            statusBar()->showMessage(result.stopped ? tr("Stopped after %1 iterations; saved in %2")
                                                          .arg(result.iterations)
                                                          .arg(fromStd(result.runDir))
                                                    : tr("Finished %1 iterations; saved in %2").arg(result.iterations).arg(fromStd(result.runDir)));
        onRunEnded();
    });
    connect(c, &RunController::runFailed, this, [this](const QString& message) {
        m_status.failed();
        showStatus();
        reportProblem(tr("The run stopped"), message);
        onRunEnded();
    });
}

void MainWindow::onRunEnded()
{
    updateActions();
    if (m_closeWhenIdle) {
        close();
        return;
    }
    if (!m_automation.screenshot.isEmpty()) {
        // Wait for the evaluations beside the run (baseline, quick evaluations), so the picture shows them, then
        // let the last queued replot and image reach the screen.
        if (m_controller->evaluationsInFlight() > 0) {
            QTimer::singleShot(200, this, &MainWindow::onRunEnded);
            return;
        }
        QTimer::singleShot(300, this, [this] {
            const QPixmap shot = grab();
            if (!shot.save(m_automation.screenshot))
                QTextStream(stderr) << "distillery: cannot write " << m_automation.screenshot << Qt::endl;
            m_automation.screenshot.clear();
            if (m_automation.quitWhenStopped)
                close();
        });
        return;
    }
    if (m_automation.quitWhenStopped)
        QTimer::singleShot(0, this, &QWidget::close);
}

void MainWindow::reportProblem(const QString& title, const QString& message)
{
    if (!m_automation.scripted()) {
        QMessageBox::critical(this, title, message);
        return;
    }
    QTextStream(stderr) << "distillery: " << title << ": " << message << Qt::endl;
    m_automationFailed = true;
    // After a failed run the screenshot still shows what happened; otherwise there is nothing left to do.
    if (m_automation.screenshot.isEmpty())
        QTimer::singleShot(0, this, &QWidget::close);
}

void MainWindow::fitZoom()
{
    // Until the user picks a zoom (Fit unchecked), the grid takes the largest whole-pixel zoom that fits its area.
    // No Fit action yet: the window is still being built.
    if (!m_fitAction || !m_fitAction->isChecked() || m_grid->displayedImages() == 0)
        return;
    // The scroll area's whole size: once the grid fits, it needs no scroll bars.
    const QSize area = m_gridArea->size() - QSize(2 * m_gridArea->frameWidth(), 2 * m_gridArea->frameWidth());
    m_grid->setZoom(m_grid->zoomToFit(area));
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_gridArea && event->type() == QEvent::Resize)
        fitZoom();
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::setZoom(int zoom)
{
    m_fitAction->setChecked(false);
    m_grid->setZoom(zoom);
    showZoom();
}

void MainWindow::setConfig(const core::RunConfig& config)
{
    m_controls->setConfig(config);
}

core::RunConfig MainWindow::config() const
{
    return m_controls->config();
}

void MainWindow::setAutomation(const Automation& automation)
{
    m_automation = automation;
    // The run itself stops after exactly that many iterations (a stop requested from here would arrive late);
    // a run that reaches its own end first gets its final evaluation.
    m_controller->setStopAfterIteration(automation.quitAfterIterations);
    if (!automation.resume.isEmpty())
        QTimer::singleShot(0, this, [this] { continueRun(m_automation.resume); });
    else if (automation.autostart)
        QTimer::singleShot(0, this, &MainWindow::startRun);
}

void MainWindow::showHistory(const core::RunHistory& history)
{
    if (!history.steps.empty())
        m_curves->appendSteps(QList<core::StepStats>(history.steps.begin(), history.steps.end()));
    // Every evaluation the run folder recorded: the run's own, the window's Evaluate now, and the baselines.
    for (const auto& e : history.evaluations) {
        if (e.subject == "random real")
            m_curves->setRandomBaseline(e);
        else if (e.subject == "full data")
            m_curves->setFullDataReference(e.mean, tr("measured, n = %1").arg(e.accuracies.size()));
        else
            m_curves->addEvaluation(e);
    }
}

QString MainWindow::runsFolder() const
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation)).filePath(QStringLiteral("runs"));
}

void MainWindow::startRun()
{
    core::RunConfig config = m_controls->config();
    config.outDir = runsFolder().toStdString();
    launch(config, {});
}

void MainWindow::chooseRunToContinue()
{
    const QString dir = QFileDialog::getExistingDirectory(
        this, tr("Continue the run in folder…"), m_lastRunDir.isEmpty() ? runsFolder() : m_lastRunDir);
    if (!dir.isEmpty())
        continueRun(dir);
}

void MainWindow::continueRun(const QString& runDir)
{
    if (m_controller->isActive()) {
        QMessageBox::information(this, tr("A run is active"), tr("Stop the run before continuing another."));
        return;
    }
    core::RunConfig config;
    int done = 0;
    bool onlyEvaluation = false; // all iterations done, the final evaluation cut off: continuing evaluates it
    try {
        config = core::loadRunFolderConfig(runDir.toStdString());
        done = core::runFolderCheckpointIteration(runDir.toStdString());
        onlyEvaluation = core::runFolderNeedsFinalEvaluation(runDir.toStdString());
    } catch (const core::Error& e) {
        reportProblem(tr("Cannot continue this run"), fromStd(e.what()));
        return;
    }
    if (done >= config.iterations && !onlyEvaluation) {
        if (m_automation.scripted()) {
            reportProblem(tr("Cannot continue this run"),
                tr("%1 already did all of its %2 iterations; continue it to more iterations in the window, or with "
                   "distillery-cli distill --resume %1 --iterations N")
                    .arg(runDir)
                    .arg(config.iterations));
            return;
        }
        bool ok = false;
        const int total = QInputDialog::getInt(this, tr("Continue the run"),
            tr("The run did all of its %1 iterations. Continue it up to:").arg(config.iterations), 2 * config.iterations,
            config.iterations + 1, 100000000, 1, &ok);
        if (!ok)
            return;
        config.iterations = total;
    }
    m_controls->setConfig(config);
    launch(config, runDir);
}

void MainWindow::launch(const core::RunConfig& config, const QString& resumeDir)
{
    try {
        core::validate(config);
    } catch (const core::Error& e) {
        reportProblem(tr("Cannot start"), fromStd(e.what()));
        return;
    }
    m_grid->clear();
    m_timeline->clear();
    m_curves->clear();
    m_privacy->clear();
    m_selection->clear();
    m_lastSet.reset();
    m_lastSetFolder.clear();
    m_lastConfig.reset();
    m_status.preparing();
    showStatus();
    if (config.data.source == "fashion-mnist")
        m_curves->setFullDataReference(kPublishedFashionMnistFullData, tr("published, ConvNet-128"), false);
    const bool haveBaseline = QSettings().contains(QStringLiteral("baselines/random/") + baselineKey(config));
    m_controller->start(config, !haveBaseline, resumeDir);
    updateActions();
}

void MainWindow::togglePause()
{
    if (m_controller->state() == RunController::State::Paused)
        m_controller->resume();
    else
        m_controller->pause();
}

void MainWindow::stepRun()
{
    if (!m_controller->isActive()) {
        // A lesson may start with Step: start paused, then take one iteration.
        startRun();
        m_controller->pause();
    }
    m_controller->step();
}

void MainWindow::stopRun()
{
    m_controller->stop();
}

void MainWindow::resetRun()
{
    if (m_controller->isActive() && !m_automation.scripted()
        && QMessageBox::question(this, tr("Reset"),
               tr("Stop the run and clear the window? The run stays in its folder (%1) and can be continued from its "
                  "last checkpoint.")
                   .arg(m_lastRunDir))
            != QMessageBox::Yes)
        return;
    m_controller->stop();
    m_grid->clear();
    m_timeline->clear();
    m_curves->clear();
    m_status.reset();
    showStatus();
}

void MainWindow::evaluateNow()
{
    if (m_controller->isActive()) {
        m_controller->evaluateNow();
    } else if (m_lastSet) {
        m_controller->evaluateSet(*m_lastSet, m_lastConfig ? *m_lastConfig : m_controls->config(), m_lastSetFolder);
    } else {
        statusBar()->showMessage(tr("Nothing to evaluate yet: start a run or open a synthetic set"), 5000);
        return;
    }
    m_evalProgress->setValue(0);
    m_evalBox->setVisible(true);
}

void MainWindow::inspectPrivacy(bool membership)
{
    if (m_controller->isActive()) {
        // The current set lives in the run thread: inspect a copy once it arrives (syntheticSetReady).
        if (!m_pendingInspection) {
            m_pendingInspection = membership;
            m_controller->requestSyntheticSet();
        }
        return;
    }
    if (!m_lastSet) {
        m_privacy->setFailed(tr("nothing to inspect yet: start a run or open a synthetic set"));
        return;
    }
    startInspection(*m_lastSet, membership);
}

void MainWindow::startInspection(const core::SyntheticSet& set, bool membership)
{
    const core::RunConfig config = m_lastConfig ? *m_lastConfig : m_controls->config();
    core::PrivacyOptions options;
    options.data = config.data;
    options.model = config.model;
    options.eval = config.eval;
    options.device = config.device;
    options.seed = config.seed;
    options.membershipInference = membership;
    options.membershipSeeds = m_privacy->membershipSeeds();
    // A set whose run selected its data: only the kept images are members (docs/privacy.md).
    if (!m_lastSetFolder.isEmpty()) {
        try {
            if (const auto selection = core::loadRunSelection(m_lastSetFolder.toStdString()))
                options.members = selection->kept;
        } catch (const core::Error& e) {
            m_privacy->refuse(fromStd(e.what()));
            return;
        }
    }
    // Refused at once when the data cannot hold the held-out references, not after waiting behind other jobs.
    if (const auto& info = m_controls->dataInfo(); info && info->source == options.data.source)
        if (const std::string why = core::privacyCannotRun(set.images.count, info->testCount(), info->source); !why.empty()) {
            m_privacy->refuse(fromStd(why));
            return;
        }
    m_privacy->setBusy(tr("starting"), 0, 1);
    m_controller->inspectPrivacy(set, options);
}

void MainWindow::setPresentationMode(bool on)
{
    if (on == m_presenting)
        return;
    m_presenting = on;
    const QSignalBlocker block(m_presentationAction);
    m_presentationAction->setChecked(on);
    if (on) {
        m_normalState = saveState();
        m_settingsDock->hide();
        m_lessonBar->follow();
        m_lessonToolBar->show();
        QFont big = QApplication::font();
        big.setPointSizeF(big.pointSizeF() * kPresentationScale);
        setFont(big);
        m_curves->setPresentation(true, kPresentationScale);
        m_normalSplit = m_centralSplitter->sizes();
        // Proportions: the images first. With the menu bar hidden (F11 and the View menu's shortcut still work), a
        // 10 × 10 grid fits at zoom 2 on a 1024 × 768 projector.
        m_centralSplitter->setSizes({3000, 1000});
        menuBar()->hide();
    } else {
        setFont(QApplication::font());
        menuBar()->show();
        m_curves->setPresentation(false, 1.0);
        m_lessonToolBar->hide();
        restoreState(m_normalState);
        m_settingsDock->show();
        if (!m_normalSplit.isEmpty())
            m_centralSplitter->setSizes(m_normalSplit);
    }
    zoomToFit(); // the grid fits the room it has now
}

void MainWindow::resetLayout()
{
    setPresentationMode(false);
    removeDockWidget(m_settingsDock);
    addDockWidget(Qt::LeftDockWidgetArea, m_settingsDock);
    m_settingsDock->setFloating(false);
    m_settingsDock->show();
    resizeDocks({m_settingsDock}, {kSettingsWidth}, Qt::Horizontal);
    m_centralSplitter->setSizes(kDeskSplit);
    zoomToFit();
}

void MainWindow::updateActions()
{
    const auto state = m_controller->state();
    const bool active = state != RunController::State::Idle;
    m_startAction->setEnabled(!active);
    m_continueAction->setEnabled(!active);
    m_pauseAction->setEnabled(state == RunController::State::Running || state == RunController::State::Paused);
    m_pauseAction->setText(state == RunController::State::Paused ? tr("Resume") : tr("Pause"));
    m_stepAction->setEnabled(state != RunController::State::Stopping);
    m_stopAction->setEnabled(state == RunController::State::Running || state == RunController::State::Paused);
    m_evaluateAction->setEnabled(active || m_lastSet.has_value());
    m_controls->setRunning(active);
    m_lessonBar->follow();
    if (state == RunController::State::Stopping)
        m_status.stopping();
    else if (active)
        m_status.setPaused(state == RunController::State::Paused);
    showStatus();
}

void MainWindow::showStatus()
{
    const RunStatus::View v = m_status.view();
    m_iterationLabel->setText(v.label);
    m_rateLabel->setText(v.rate);
    m_progress->setVisible(v.progressVisible);
    m_progress->setRange(0, v.maximum); // 0…0: busy
    m_progress->setValue(v.value);
}

QString MainWindow::statusLine() const
{
    return m_rateLabel->text().isEmpty() ? m_iterationLabel->text() : m_iterationLabel->text() + QStringLiteral(" | ") + m_rateLabel->text();
}

void MainWindow::updateStatus(const core::StepStats& last)
{
    m_status.step(last);
    showStatus();
    const long long device = m_device.startsWith(QLatin1String("cuda")) ? core::peakDeviceMemory(m_device.toStdString()) : 0;
    m_memoryLabel->setText(device > 0 ? tr("GPU %1 MiB, RAM %2 MiB").arg(device >> 20).arg(qint64(residentBytes()) >> 20)
                                      : tr("RAM %1 MiB").arg(qint64(residentBytes()) >> 20));
}

QString MainWindow::baselineKey(const core::RunConfig& c) const
{
    // Everything the random-real baseline depends on: data, IPC, network and protocol.
    const QString key = fromStd(c.data.source + "|" + std::to_string(c.data.imageSize) + "|" + c.data.color + "|ipc"
        + std::to_string(c.ipc) + "|" + c.model.arch + std::to_string(c.model.width) + "x" + std::to_string(c.model.depth)
        + c.model.norm + "|" + std::to_string(c.eval.models) + "m" + std::to_string(c.eval.epochs) + "e" + c.eval.augment
        + "|seed" + std::to_string(c.seed));
    return QString::fromLatin1(key.toUtf8().toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

void MainWindow::applyBaselineCache()
{
    if (!m_lastConfig)
        return;
    QSettings settings;
    const QVariantList random = settings.value(QStringLiteral("baselines/random/") + baselineKey(*m_lastConfig)).toList();
    if (random.size() == 3) {
        core::EvalResult r;
        r.mean = random[0].toDouble();
        r.std = random[1].toDouble();
        r.accuracies.resize(static_cast<std::size_t>(random[2].toInt()));
        m_curves->setRandomBaseline(r);
    }
    const QVariantList full = settings.value(QStringLiteral("baselines/full/") + baselineKey(*m_lastConfig)).toList();
    if (full.size() == 3)
        m_curves->setFullDataReference(full[0].toDouble(), tr("measured, n = %1").arg(full[2].toInt()));
}

void MainWindow::showSet(const core::SyntheticSet& set)
{
    m_latest = snapshotOf(set);
    m_latestGrid = gridImage(m_latest);
    m_grid->clear();
    m_grid->setSnapshot(m_latest, m_latestGrid);
    m_curves->setClassNames(set.classNames);
}

void MainWindow::showLatest()
{
    if (!m_timeline->followsLatest() || m_latest.images.count == 0)
        return;
    m_grid->setSnapshot(m_latest, m_latestGrid);
    fitZoom();
}

void MainWindow::openDataSource(const QString& kind)
{
    QString path;
    if (kind == QLatin1String("medmnist"))
        path = QFileDialog::getOpenFileName(this, tr("Open a MedMNIST archive"), QString(), tr("MedMNIST (*.npz)"));
    else
        path = QFileDialog::getExistingDirectory(this, tr("Open a data set folder"));
    if (path.isEmpty())
        return;
    const QString source = kind + u':' + path;
    core::DataConfig data = m_controls->config().data;
    data.source = source.toStdString();
    QApplication::setOverrideCursor(Qt::WaitCursor);
    try {
        const core::DatasetInfo info = core::inspectDataset(data);
        QApplication::restoreOverrideCursor();
        m_controls->setDataInfo(info);
        m_controls->selectDataSource(source);
        statusBar()->showMessage(fromStd(info.summary()), 10000); // the notes stay in the data panel
    } catch (const core::Error& e) {
        QApplication::restoreOverrideCursor();
        QMessageBox::critical(this, tr("Cannot use this data set"), fromStd(e.what()));
    }
}

void MainWindow::openSyntheticSet()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open a synthetic set (or a run folder's file)"), m_lastRunDir,
        tr("Synthetic sets (*.safetensors *.npz)"));
    if (!path.isEmpty())
        openSyntheticSet(path);
}

void MainWindow::showSelection(const QString& runDir)
{
    if (runDir.isEmpty()) {
        m_selection->clear();
        return;
    }
    try {
        m_selection->setSelection(core::loadRunSelection(runDir.toStdString()));
    } catch (const core::Error& e) {
        m_selection->clear();
        statusBar()->showMessage(tr("The run's data selection cannot be shown: %1").arg(fromStd(e.what())), 10000);
    }
}

void MainWindow::openSyntheticSet(const QString& path)
{
    if (m_controller->isActive()) {
        QMessageBox::information(this, tr("A run is active"), tr("Stop the run before opening another set."));
        return;
    }
    try {
        core::SyntheticSet set = core::loadSyntheticSet(path.toStdString());
        std::optional<core::RunConfig> config;
        if (const auto it = set.metadata.find("config"); it != set.metadata.end()) {
            config = core::runConfigFromJson(it->second);
            m_controls->setConfig(*config);
        }
        m_curves->clear();
        // A set inside a run folder brings its curves along.
        const QFileInfo info(path);
        const QString runDir = info.isDir() ? path : info.absolutePath();
        const bool inRunFolder = QFileInfo::exists(QDir(runDir).filePath(QStringLiteral("metrics.jsonl")))
            && QFileInfo::exists(QDir(runDir).filePath(QStringLiteral("config.json")));
        if (inRunFolder)
            showHistory(core::loadRunHistory(runDir.toStdString()));
        m_timeline->setRunFolder(inRunFolder ? runDir : QString());
        if (inRunFolder)
            showSelection(runDir);
        else
            m_selection->clear();
        showSet(set);
        // The Privacy tab's movement from the start follows the run's timeline, as it did while the run was live.
        for (const int iteration : m_timeline->iterations()) {
            try {
                m_privacy->addSnapshot(core::loadTimelineFrame(runDir.toStdString(), iteration));
            } catch (const core::Error&) {
                // a damaged frame: the timeline bar says so when it is chosen; the movement skips it
            }
        }
        m_lastSet = std::move(set);
        m_lastSetFolder = inRunFolder ? runDir : QString(); // Evaluate now records its result there
        m_privacy->markStale(tr("Another set was opened (%1).").arg(QFileInfo(path).fileName()));
        m_lastConfig = config;
        updateActions();
        statusBar()->showMessage(tr("Opened %1: Evaluate now trains fresh networks on it").arg(path), 10000);
    } catch (const core::Error& e) {
        QMessageBox::critical(this, tr("Cannot open this set"), fromStd(e.what()));
    }
}

void MainWindow::exportSet(const QString& format)
{
    QString path;
    if (format == QLatin1String("folder"))
        path = QFileDialog::getExistingDirectory(this, tr("Export one PNG per image into class folders under…"));
    else {
        const QString filter = format == QLatin1String("grid") ? tr("PNG (*.png)")
            : format == QLatin1String("npz")                  ? tr("npz (*.npz)")
                                                              : tr("safetensors (*.safetensors)");
        const QString suggested = format == QLatin1String("grid") ? QStringLiteral("grid.png")
                                                                  : QStringLiteral("synthetic.") + format;
        path = QFileDialog::getSaveFileName(this, tr("Export the synthetic set"), suggested, filter);
    }
    if (path.isEmpty())
        return;
    if (m_controller->isActive()) {
        // The current set lives in the run thread: ask for a copy and write it when it arrives.
        m_pendingExport = std::make_pair(format, path);
        m_controller->requestSyntheticSet();
        return;
    }
    if (!m_lastSet) {
        QMessageBox::information(this, tr("Nothing to export"), tr("Start a run or open a synthetic set first."));
        return;
    }
    writeExport(*m_lastSet, format, path);
}

void MainWindow::chooseFormationExport(const QString& format)
{
    if (m_timeline->iterations().isEmpty()) {
        QMessageBox::information(this, tr("No timeline"),
            tr("Only runs keep a timeline of how their set formed. Start a run, or open a set inside a run folder."));
        return;
    }
    const bool gif = format == QLatin1String("gif");
    const QString suggested = QDir(m_timeline->runFolder()).filePath(gif ? QStringLiteral("formation.gif") : QStringLiteral("formation.png"));
    const QString path = QFileDialog::getSaveFileName(this, gif ? tr("Export the formation as an animated GIF")
                                                                : tr("Export the formation as a PNG strip"),
        suggested, gif ? tr("Animated GIF (*.gif)") : tr("PNG (*.png)"));
    if (!path.isEmpty())
        exportFormation(path);
}

void MainWindow::exportFormation(const QString& path)
{
    if (m_formationExporter->busy()) {
        statusBar()->showMessage(tr("An export is still running"), 5000);
        return;
    }
    if (m_timeline->runFolder().isEmpty()) {
        reportProblem(tr("No timeline"), tr("%1: this set has no run folder with a timeline to export").arg(path));
        return;
    }
    auto* progress = new QProgressDialog(tr("Drawing the formation into %1…").arg(QFileInfo(path).fileName()),
        tr("Cancel"), 0, 0, this);
    progress->setObjectName(QStringLiteral("formationProgress"));
    progress->setWindowTitle(tr("Export formation"));
    progress->setMinimumDuration(300); // a short export finishes before the window would appear
    progress->setAttribute(Qt::WA_DeleteOnClose);
    const auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    FormationExporter* exporter = m_formationExporter;
    connect(progress, &QProgressDialog::canceled, exporter, &FormationExporter::cancel);
    const auto onProgress = connect(exporter, &FormationExporter::progressed, progress, [progress, timer](int done, int total) {
        progress->setRange(0, total);
        progress->setValue(done);
        progress->setLabelText(tr("Frame %1 of %2, %3 left").arg(done).arg(total)
                .arg(formatDuration(timeLeft(done, total, static_cast<double>(timer->elapsed()) / 1000.0))));
    });
    auto onFinished = std::make_shared<QMetaObject::Connection>();
    *onFinished = connect(exporter, &FormationExporter::finished, this,
        [this, progress, onProgress, onFinished](const QString& file, int frames, const QString& error, bool cancelled) {
            disconnect(onProgress);
            disconnect(*onFinished);
            progress->close();
            if (cancelled)
                statusBar()->showMessage(tr("Export cancelled; %1 was not written").arg(file), 8000);
            else if (!error.isEmpty())
                reportProblem(tr("Export failed"), error);
            else
                statusBar()->showMessage(tr("Exported %1 frames to %2").arg(frames).arg(file), 10000);
        });
    exporter->start(m_timeline->runFolder(), path);
}

void MainWindow::writeExport(const core::SyntheticSet& set, const QString& format, const QString& path)
{
    try {
        const std::string p = path.toStdString();
        if (format == QLatin1String("safetensors"))
            core::saveSafetensors(set, p);
        else if (format == QLatin1String("npz"))
            core::saveNpz(set, p);
        else if (format == QLatin1String("grid"))
            core::saveGridPng(set, p, 4);
        else
            core::saveImageFolder(set, (QDir(path).filePath(QStringLiteral("synthetic-images"))).toStdString());
        statusBar()->showMessage(tr("Exported to %1").arg(path), 8000);
    } catch (const core::Error& e) {
        QMessageBox::critical(this, tr("Export failed"), fromStd(e.what()));
    }
}

void MainWindow::saveConfig()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Save the run configuration"), QStringLiteral("config.json"),
        tr("JSON (*.json)"));
    if (path.isEmpty())
        return;
    try {
        core::saveRunConfig(m_controls->config(), path.toStdString());
    } catch (const core::Error& e) {
        QMessageBox::critical(this, tr("Cannot save"), fromStd(e.what()));
    }
}

void MainWindow::loadConfig()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Load a run configuration"), QString(), tr("JSON (*.json)"));
    if (path.isEmpty())
        return;
    try {
        const core::RunConfig config = core::loadRunConfig(path.toStdString());
        core::validate(config); // a bad parameter is named now, not silently dropped by the panel
        m_controls->setConfig(config);
    } catch (const core::Error& e) {
        QString message = fromStd(e.what());
        if (!message.startsWith(path))
            message = path + QStringLiteral(": ") + message;
        QMessageBox::critical(this, tr("Cannot load this configuration"), message);
    }
}

void MainWindow::addRecentRun(const QString& runDir)
{
    QSettings settings;
    QStringList runs = settings.value(QStringLiteral("recentRuns")).toStringList();
    runs.removeAll(runDir);
    runs.prepend(runDir);
    while (runs.size() > kMaxRecentRuns)
        runs.removeLast();
    settings.setValue(QStringLiteral("recentRuns"), runs);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList runs = QSettings().value(QStringLiteral("recentRuns")).toStringList();
    for (const QString& run : runs)
        m_recentMenu->addAction(QFileInfo(run).fileName(), this, [this, run] { openSyntheticSet(run); });
    m_recentMenu->setEnabled(!runs.isEmpty());
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    const QString last = settings.value(QStringLiteral("lastConfig")).toString();
    if (!last.isEmpty()) {
        try {
            m_controls->setConfig(core::runConfigFromJson(last.toStdString()));
        } catch (const core::Error&) {
            // An older or hand-edited config: keep the defaults rather than refuse to open.
        }
    }
    m_controls->setEvaluationInterval(settings.value(QStringLiteral("evaluationInterval"), 0).toInt());
    if (settings.contains(QStringLiteral("zoom")))
        setZoom(settings.value(QStringLiteral("zoom")).toInt()); // the user's last fixed zoom; absent = fit
    rebuildRecentMenu();
}

void MainWindow::saveSettings()
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), m_presenting ? m_normalState : saveState()); // the desk layout, not the lecture one
    settings.setValue(QStringLiteral("lastConfig"), fromStd(core::toJson(m_controls->config())));
    settings.setValue(QStringLiteral("evaluationInterval"), m_controls->evaluationInterval());
    if (!m_fitAction->isChecked())
        settings.setValue(QStringLiteral("zoom"), m_grid->zoom());
    else
        settings.remove(QStringLiteral("zoom"));
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (m_controller->isActive()) {
        if (!m_closeWhenIdle && !m_automation.quitWhenStopped) {
            const auto answer = QMessageBox::question(this, tr("A run is in progress"),
                tr("Stop the run and quit? The latest synthetic set and checkpoint are kept in the run folder."),
                QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
            if (answer != QMessageBox::Yes) {
                event->ignore();
                return;
            }
        }
        // Close once the session has written its files: runFinished comes back here.
        m_closeWhenIdle = true;
        m_controller->stop();
        event->ignore();
        return;
    }
    saveSettings();
    event->accept();
}

} // namespace distillery::ui

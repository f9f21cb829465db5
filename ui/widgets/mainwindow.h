// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "controller/runstatus.h"

#include <distillery/config.h>
#include <distillery/evalresult.h>
#include <distillery/session.h>
#include <distillery/syntheticset.h>

#include <QElapsedTimer>
#include <QImage>
#include <QMainWindow>

#include <optional>

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QProgressBar;
class QScrollArea;
class QSlider;
class QSplitter;
class QToolBar;

namespace distillery::ui {

class ControlPanel;
class CurvesPanel;
class LessonBar;
class FormationExporter;
class PrivacyPanel;
class SelectionPanel;
class RunController;
class SyntheticGrid;
class TimelineBar;

/// The Distillery window: controls on the left, the synthetic images forming in the middle, the curves on the
/// right, run control in the tool bar and the state of the run in the status bar.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    /// Scripted use (command line): start at once, stop after N iterations, grab a screenshot once stopped, quit.
    struct Automation
    {
        bool autostart = false;
        int quitAfterIterations = 0; ///< 0 = never
        QString screenshot; ///< empty = none
        bool quitWhenStopped = false;
        QString resume; ///< a run folder to continue at once (instead of autostart)

        /// Started from a script: problems go to stderr instead of a dialog nobody will answer, and end the program.
        bool scripted() const
        {
            return autostart || quitAfterIterations > 0 || !screenshot.isEmpty() || !resume.isEmpty();
        }
    };

    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    void setConfig(const distillery::core::RunConfig& config);
    distillery::core::RunConfig config() const;
    void setAutomation(const Automation& automation);
    /// A scripted run (Automation::scripted) that failed: the program's exit code should say so.
    bool automationFailed() const { return m_automationFailed; }
    /// A fixed zoom (pixels per synthetic pixel), as if the user chose it: the grid stops fitting itself.
    void setZoom(int zoom);
    /// Back to the default: the largest whole-pixel zoom that fits, kept as the window changes.
    void zoomToFit();

    // For tests and scripts.
    RunController& controller() { return *m_controller; }
    SyntheticGrid& grid() { return *m_grid; }
    CurvesPanel& curves() { return *m_curves; }
    ControlPanel& controls() { return *m_controls; }
    PrivacyPanel& privacy() { return *m_privacy; }
    SelectionPanel& selection() { return *m_selection; }
    /// The folder of the last run started in this window (empty before one).
    const QString& lastRunDir() const { return m_lastRunDir; }
    TimelineBar& timeline() { return *m_timeline; }
    FormationExporter& formationExporter() { return *m_formationExporter; }
    /// The status bar's run status as one line: "Paused at iteration 7 / 200 | 12.3 it/s".
    QString statusLine() const;
    bool presentationMode() const { return m_presenting; }

public Q_SLOTS:
    void startRun();
    /// Continues a stopped (or, for more iterations, a finished) run from its checkpoint, in its own folder.
    void continueRun(const QString& runDir);
    /// Shows a saved set (.safetensors or .npz); one inside a run folder brings that run's curves along.
    void openSyntheticSet(const QString& path);
    void togglePause();
    void stepRun();
    void stopRun();
    void resetRun();
    void evaluateNow();
    /// Runs the privacy inspector on the current set (a copy of a running one, or the last finished/opened set).
    void inspectPrivacy(bool membership);
    /// Presentation mode (F11, View menu): large type, the settings replaced by the slim lesson bar.
    void setPresentationMode(bool on);
    /// Settings docked on the left, the images and curves side by side, the grid fitted again.
    void resetLayout();
    /// Draws the shown run's formation into `path` (.gif animation or .png strip) in the background, with a progress
    /// window and Cancel.
    void exportFormation(const QString& path);

protected:
    void closeEvent(QCloseEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    /// The Data selection tab for run folder `runDir` (empty: no folder).
    void showSelection(const QString& runDir);
    QString m_stage; // the preparation stage shown in the status bar
    QElapsedTimer m_stageTimer;
    qint64 m_stageDoneAtStart = 0; // where the stage stood when m_stageTimer started (kept work continues above 0)
    QElapsedTimer m_evalTimer; // since the final evaluation began
    RunStatus m_status;

    void buildActions();
    void buildMenus();
    void connectController();
    void updateActions();
    void updateStatus(const distillery::core::StepStats& last);
    void showStatus();
    void showZoom();
    void showSet(const distillery::core::SyntheticSet& set);
    void openDataSource(const QString& kind);
    void openSyntheticSet();
    void chooseRunToContinue();
    /// A run folder's earlier loss and accuracy points into the curves.
    void showHistory(const distillery::core::RunHistory& history);
    /// Clears the views and starts `config` (a fresh run, or `resumeDir` continued).
    void launch(const distillery::core::RunConfig& config, const QString& resumeDir);
    QString runsFolder() const;
    void exportSet(const QString& format);
    /// Asks where to save the formation (`format`: "gif" or "png") and exports it.
    void chooseFormationExport(const QString& format);
    /// The latest set (live, finished or opened) into the grid, unless the timeline shows an earlier frame.
    void showLatest();
    void writeExport(const distillery::core::SyntheticSet& set, const QString& format, const QString& path);
    void saveConfig();
    void loadConfig();
    void addRecentRun(const QString& runDir);
    void rebuildRecentMenu();
    void applyBaselineCache();
    QString baselineKey(const distillery::core::RunConfig& config) const;
    void onRunEnded();
    /// A message box for a person at the window; for a scripted window one line on stderr, then the window closes
    /// and automationFailed() turns true.
    void reportProblem(const QString& title, const QString& message);
    void startInspection(const distillery::core::SyntheticSet& set, bool membership);
    void fitZoom();
    void restoreSettings();
    void saveSettings();

    RunController* m_controller = nullptr;
    ControlPanel* m_controls = nullptr;
    SyntheticGrid* m_grid = nullptr;
    QScrollArea* m_gridArea = nullptr;
    QDockWidget* m_settingsDock = nullptr;
    QSplitter* m_centralSplitter = nullptr;
    QToolBar* m_lessonToolBar = nullptr;
    LessonBar* m_lessonBar = nullptr;
    bool m_presenting = false;
    QByteArray m_normalState; ///< the window's layout before presentation mode
    QList<int> m_normalSplit; ///< … and how the images and curves shared the width
    CurvesPanel* m_curves = nullptr;
    PrivacyPanel* m_privacy = nullptr;
    SelectionPanel* m_selection = nullptr;
    TimelineBar* m_timeline = nullptr;
    FormationExporter* m_formationExporter = nullptr;
    distillery::core::Snapshot m_latest; ///< the newest set, shown when the timeline follows the latest
    QImage m_latestGrid; ///< … and its grid image
    QMenu* m_formationMenu = nullptr;
    QAction* m_fitAction = nullptr; ///< checked: the grid fits itself; unchecked: the user's zoom stays
    QLabel* m_zoomLabel = nullptr; ///< "×3"
    QLabel* m_iterationLabel = nullptr;
    QLabel* m_rateLabel = nullptr;
    QLabel* m_deviceLabel = nullptr;
    QLabel* m_memoryLabel = nullptr;
    QProgressBar* m_progress = nullptr;
    QProgressBar* m_evalProgress = nullptr;
    QWidget* m_evalBox = nullptr; ///< m_evalProgress and its Cancel
    QElapsedTimer m_jobTimer; ///< since the evaluation job shown began
    QMenu* m_recentMenu = nullptr;

    QAction* m_presentationAction = nullptr;
    QAction* m_startAction = nullptr;
    QAction* m_continueAction = nullptr;
    QAction* m_pauseAction = nullptr;
    QAction* m_stepAction = nullptr;
    QAction* m_stopAction = nullptr;
    QAction* m_resetAction = nullptr;
    QAction* m_evaluateAction = nullptr;
    QAction* m_exportMenuAction = nullptr;

    std::optional<distillery::core::SyntheticSet> m_lastSet; ///< full precision: exports and evaluations
    std::optional<distillery::core::RunConfig> m_lastConfig; ///< the config that made m_lastSet
    QString m_lastRunDir;
    QString m_lastSetFolder; ///< the run folder m_lastSet belongs to (its evaluations are recorded there), or empty
    QString m_device;
    std::optional<std::pair<QString, QString>> m_pendingExport; ///< (format, path) waiting for a copy of the set
    std::optional<bool> m_pendingInspection; ///< an inspection (with membership inference?) waiting for a copy
    Automation m_automation;
    bool m_closeWhenIdle = false;
    bool m_automationFailed = false;
};

} // namespace distillery::ui

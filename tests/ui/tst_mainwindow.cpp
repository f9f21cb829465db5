// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "fixtures.h"

#include "controller/formationexporter.h"
#include "controller/runcontroller.h"
#include "widgets/controlpanel.h"
#include "widgets/accuracyplot.h"
#include "widgets/curvespanel.h"
#include "widgets/imagedialog.h"
#include "widgets/labelbars.h"
#include "widgets/mainwindow.h"
#include "widgets/parameditor.h"
#include "widgets/privacypanel.h"
#include "widgets/selectionpanel.h"
#include "widgets/syntheticgrid.h"
#include "widgets/timelinebar.h"
#include "widgets/trajectoryplots.h"

#include <distillery/config.h>
#include <distillery/session.h>
#include <distillery/timeline.h>

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QAbstractButton>
#include <QScrollBar>
#include <QAbstractSpinBox>
#include <QDockWidget>
#include <QHelpEvent>
#include <QSettings>
#include <QPushButton>
#include <QToolButton>
#include <QToolTip>
#include <QWheelEvent>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QMenu>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using distillery::core::RunConfig;
using distillery::ui::MainWindow;
using distillery::ui::RunController;

class TestMainWindow : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::string m_source;

    RunConfig tinyRun(const std::string& method, int ipc, int iterations)
    {
        return fixtures::tinyRun(m_source, method, ipc, iterations);
    }

    /// Picks `method` in the panel as a user would (the list, not setConfig).
    static void chooseMethod(MainWindow& window, const QString& method)
    {
        auto* box = window.controls().findChild<QComboBox*>(QStringLiteral("method"));
        QVERIFY(box);
        const int index = box->findData(method);
        QVERIFY(index >= 0);
        box->setCurrentIndex(index);
    }

    /// Starts the panel's request and waits for the run; returns the config.json it recorded.
    static RunConfig runAndReadConfig(MainWindow& window)
    {
        QSignalSpy finished(&window.controller(), &RunController::runFinished);
        QSignalSpy failed(&window.controller(), &RunController::runFailed);
        window.startRun();
        [&] { QVERIFY(finished.wait(60000)); }();
        if (finished.isEmpty())
            return {};
        const auto result = finished.first().at(0).value<distillery::core::RunResult>();
        return distillery::core::loadRunFolderConfig(result.runDir);
    }

    /// The resolved value shown beside the parameter `key` of the selected method.
    static QString shownResolved(MainWindow& window, const std::string& key)
    {
        for (const auto* editor : window.controls().parameterEditors())
            if (editor->spec().key == key)
                return editor->resolvedText();
        return QStringLiteral("(no row)");
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("DistilleryTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
        m_source = fixtures::writeToyIdxDataset(m_dir.filePath(QStringLiteral("toy"))).toStdString();
    }

    void runShowsImagesAndCurves()
    {
        MainWindow window;
        window.setConfig(tinyRun("dm", 3, 30));
        window.show();
        QSignalSpy finished(&window.controller(), &RunController::runFinished);
        QStringList duringEvaluation; // what the status bar said while the final evaluation ran
        connect(&window.controller(), &RunController::finalEvaluationProgressed, &window,
            [&] { duringEvaluation << window.statusLine(); });
        window.startRun();
        QVERIFY(finished.wait(60000));
        QVERIFY(!duringEvaluation.isEmpty());
        QVERIFY2(duringEvaluation.first().startsWith(QLatin1String("Final evaluation: model 1 of 1")),
            qPrintable(duringEvaluation.first()));
        QVERIFY(!duringEvaluation.first().contains(QLatin1String("it/s"))); // not the iterations' "ETA 0:00"
        QVERIFY2(window.statusLine().startsWith(QLatin1String("Finished 30 iterations")), qPrintable(window.statusLine()));
        // IPC × classes images in a classes × IPC grid.
        QTRY_COMPARE_WITH_TIMEOUT(window.grid().displayedImages(), 3 * 3, 5000);
        QCOMPARE(window.grid().rows(), 3);
        QCOMPARE(window.grid().columns(), 3);
        QTRY_COMPARE_WITH_TIMEOUT(window.curves().lossPointCount(), 30, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(window.curves().accuracyPointCount(), 1, 5000); // the final evaluation
        // Images reach the window at most 10 times a second, but the timeline lists every frame the run kept.
        const std::string runDir = finished.first().at(0).value<distillery::core::RunResult>().runDir;
        const std::vector<int> kept = distillery::core::timelineIterations(runDir);
        QCOMPARE(kept.size(), std::size_t(31));
        QCOMPARE(window.timeline().iterations(), QVector<int>(kept.begin(), kept.end()));
        // Replots are merged: far fewer than the 30 iterations that arrived.
        QVERIFY(window.curves().replotCount() <= 30);
        // Every image is found where it is drawn (a click opens that one); the class-name column holds none.
        for (int i = 0; i < 9; ++i)
            QCOMPARE(window.grid().imageAt(window.grid().imageRect(i).center()), i);
        QCOMPARE(window.grid().imageRect(4).topLeft().y(), window.grid().imageRect(3).topLeft().y()); // class 1 row
        QCOMPARE(window.grid().imageAt(QPoint(1, 1)), -1);
        // The final accuracy as a number beside the plot, and its point tells its numbers when hovered.
        const auto& accuracy = window.curves().accuracy();
        const auto result = finished.first().at(0).value<distillery::core::RunResult>();
        QCOMPARE(result.evaluations.size(), std::size_t(1));
        const QString mean = QString::number(100.0 * result.evaluations[0].mean, 'f', 1);
        QVERIFY2(accuracy.latestText().contains(mean + QStringLiteral(" ± ")), qPrintable(accuracy.latestText()));
        QVERIFY(accuracy.latestText().contains(QLatin1String("iteration 30")));
        QTRY_VERIFY_WITH_TIMEOUT(!window.curves().replotPending(), 5000); // the point is drawn where we hover
        const QPoint at = accuracy.pointPosition("synthetic", 0);
        QHelpEvent hover(QEvent::ToolTip, at, accuracy.plotWidget()->mapToGlobal(at));
        QCoreApplication::sendEvent(accuracy.plotWidget(), &hover);
        QVERIFY2(QToolTip::text().startsWith(QLatin1String("Iteration 30, synthetic set")), qPrintable(QToolTip::text()));
        QVERIFY(QToolTip::text().contains(QString::fromStdString(result.evaluations[0].summary())));
        QHelpEvent away(QEvent::ToolTip, at + QPoint(40, 40), accuracy.plotWidget()->mapToGlobal(at + QPoint(40, 40)));
        QCoreApplication::sendEvent(accuracy.plotWidget(), &away);
        QVERIFY(!QToolTip::text().startsWith(QLatin1String("Iteration")));
        // Hard labels: no label bars, and DM's per-class terms instead of the unrolled methods' plots.
        QVERIFY(window.grid().labelBarsRect(0).isNull());
        QVERIFY(!window.curves().trajectory().isVisible());
        QVERIFY(!window.curves().trajectory().hasData());

        // Reset (nothing running: no question) clears the images, the curves and their axes.
        QVERIFY(window.curves().lossAxisEnd() >= 30);
        window.resetRun();
        QTRY_VERIFY_WITH_TIMEOUT(!window.curves().replotPending(), 5000);
        QCOMPARE(window.curves().lossPointCount(), 0);
        QCOMPARE(window.curves().accuracyPointCount(), 0);
        QVERIFY2(window.curves().lossAxisEnd() <= 1.0, qPrintable(QString::number(window.curves().lossAxisEnd())));
        QCOMPARE(window.grid().displayedImages(), 0);
        QCOMPARE(window.statusLine(), QStringLiteral("Ready"));
    }

    // Issue 15, item 5: a normal run, with presentation mode toggled and a reopened set, prints no Qt warning (the
    // offscreen test platform's own "does not support propagateSizeHints" aside: a real desktop never prints it).
    void aNormalRunPrintsNoQtWarnings()
    {
        static QStringList warnings;
        warnings.clear();
        const QtMessageHandler previous = qInstallMessageHandler([](QtMsgType type, const QMessageLogContext&, const QString& text) {
            if ((type == QtWarningMsg || type == QtCriticalMsg) && !text.contains(QLatin1String("propagateSizeHints")))
                warnings << text;
        });
        {
            MainWindow window;
            window.setConfig(tinyRun("dm", 3, 40));
            window.show();
            QSignalSpy finished(&window.controller(), &RunController::runFinished);
            window.startRun();
            QTRY_VERIFY_WITH_TIMEOUT(window.controller().lastIteration() > 5, 30000);
            window.setPresentationMode(true);
            QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000); // it may have finished already: no wait() for a second one
            window.setPresentationMode(false);
            const auto run = finished.first().at(0).value<distillery::core::RunResult>();
            window.openSyntheticSet(QDir(QString::fromStdString(run.runDir)).filePath(QStringLiteral("synthetic.safetensors")));
            QTRY_VERIFY_WITH_TIMEOUT(!window.curves().replotPending(), 5000);
        }
        qInstallMessageHandler(previous);
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(QLatin1Char('\n'))));
    }

    // Issue 15, item 5: Cancel ends each long job beside the run: the evaluations (Evaluate now and the baseline queued
    // before it) and a privacy inspection with membership inference.
    void cancelEndsLongJobs()
    {
        MainWindow window;
        RunConfig c = tinyRun("dm", 2, 5);
        c.finalEval = false;
        c.eval.epochs = 100000; // jobs that would take hours
        window.setConfig(c);
        window.show();
        QSignalSpy finished(&window.controller(), &RunController::runFinished);
        QSignalSpy progressed(&window.controller(), &RunController::evaluationProgressed);
        QSignalSpy evaluated(&window.controller(), &RunController::evaluated);
        window.startRun();
        QVERIFY(finished.wait(60000));
        window.evaluateNow();
        QTRY_VERIFY_WITH_TIMEOUT(progressed.size() > 0, 30000);
        auto* cancelEvaluation = window.findChild<QToolButton*>(QStringLiteral("cancelEvaluation"));
        QVERIFY(cancelEvaluation);
        QTRY_VERIFY_WITH_TIMEOUT(cancelEvaluation->isVisible(), 5000);
        cancelEvaluation->click();
        QTRY_COMPARE_WITH_TIMEOUT(window.controller().evaluationsInFlight(), 0, 10000);
        QVERIFY(!cancelEvaluation->isVisible());
        QVERIFY(evaluated.isEmpty());

        QSignalSpy inspecting(&window.controller(), &RunController::inspectionProgressed);
        QSignalSpy cancelled(&window.controller(), &RunController::inspectionCancelled);
        window.inspectPrivacy(true);
        QTRY_VERIFY_WITH_TIMEOUT(inspecting.size() > 0, 30000);
        auto* cancelInspection = window.privacy().findChild<QPushButton*>(QStringLiteral("cancelInspection"));
        QVERIFY(cancelInspection && cancelInspection->isVisibleTo(&window.privacy()));
        cancelInspection->click();
        QVERIFY(cancelled.wait(10000));
        QVERIFY(!window.controller().inspectionRunning());
        QVERIFY2(window.privacy().summaryText().contains(QLatin1String("cancelled")), qPrintable(window.privacy().summaryText()));
        // Later jobs run again: the cancelled control is not reused.
        window.evaluateNow();
        QTRY_VERIFY_WITH_TIMEOUT(window.controller().evaluationsInFlight() == 1, 5000);
        window.controller().cancelEvaluations();
        QTRY_COMPARE_WITH_TIMEOUT(window.controller().evaluationsInFlight(), 0, 10000);
    }

    // Issue 15, item 1: on a 1024 × 768 projector the grid fits its area and shows every image, at the desk and in
    // presentation mode (where it is zoomed larger).
    void theGridShowsEveryImageAt1024x768()
    {
        const QString data = fixtures::writeToyIdxDataset(m_dir.filePath(QStringLiteral("toy10")), 10, 12, 4);
        MainWindow window;
        window.setConfig(fixtures::tinyRun(data.toStdString(), "random", 10, 0));
        window.resize(1024, 768);
        window.show();
        QSignalSpy finished(&window.controller(), &RunController::runFinished);
        window.startRun();
        QVERIFY(finished.wait(60000));
        QTRY_COMPARE_WITH_TIMEOUT(window.grid().displayedImages(), 100, 5000);
        const auto everyImageShown = [&] {
            const QWidget* viewport = window.grid().parentWidget();
            for (int i = 0; i < 100; ++i) {
                const QRect onViewport = window.grid().imageRect(i).translated(window.grid().pos());
                if (!viewport->rect().contains(onViewport))
                    return false;
            }
            return true;
        };
        QVERIFY(everyImageShown());
        const int deskZoom = window.grid().zoom();
        window.setPresentationMode(true);
        QTRY_VERIFY_WITH_TIMEOUT(everyImageShown(), 5000);
        QVERIFY2(window.grid().zoom() > deskZoom, qPrintable(QStringLiteral("zoom %1 at the desk, %2 presenting").arg(deskZoom).arg(window.grid().zoom())));
        window.setPresentationMode(false);

        // Zoom in whole steps: +, 1:1 and Ctrl + wheel are the user's choice and stay (a reopened set does not fit
        // them away); Fit goes back to fitting.
        const auto trigger = [&](const char* name) {
            auto* action = window.findChild<QAction*>(QString::fromLatin1(name));
            QVERIFY(action);
            action->trigger();
        };
        trigger("zoomFit");
        const int fitted = window.grid().zoom();
        trigger("zoomIn");
        QCOMPARE(window.grid().zoom(), fitted + 1);
        const auto run = finished.first().at(0).value<distillery::core::RunResult>();
        window.openSyntheticSet(QDir(QString::fromStdString(run.runDir)).filePath(QStringLiteral("synthetic.safetensors")));
        QCOMPARE(window.grid().zoom(), fitted + 1);
        trigger("zoomOne");
        QCOMPARE(window.grid().zoom(), 1);
        trigger("zoomFit");
        QCOMPARE(window.grid().zoom(), fitted);
        QWheelEvent wheel(QPointF(5, 5), window.grid().mapToGlobal(QPointF(5, 5)), QPoint(), QPoint(0, 120), Qt::NoButton,
            Qt::ControlModifier, Qt::NoScrollPhase, false);
        QCoreApplication::sendEvent(&window.grid(), &wheel);
        QCOMPARE(window.grid().zoom(), fitted + 1);
        window.openSyntheticSet(QDir(QString::fromStdString(run.runDir)).filePath(QStringLiteral("synthetic.safetensors")));
        QCOMPARE(window.grid().zoom(), fitted + 1); // before, a new snapshot fitted a Ctrl + wheel zoom away
    }

    // Issue 15, item 2: presentation mode enlarges the type, hides the settings behind the lesson bar (which edits
    // the same request), and gives everything back when it ends.
    void presentationModeEnlargesAndHidesTheSettings()
    {
        MainWindow window;
        window.setConfig(tinyRun("dm", 3, 30));
        window.resize(1024, 768);
        window.show();
        auto* dock = window.findChild<QDockWidget*>(QStringLiteral("SettingsDock"));
        auto* lesson = window.findChild<QWidget*>(QStringLiteral("LessonBar"));
        QVERIFY(dock && lesson);
        QVERIFY(dock->isVisible());
        QVERIFY(!lesson->isVisible());
        QVERIFY(window.curves().showsClassTerms());
        const qreal normal = window.font().pointSizeF();

        window.setPresentationMode(true);
        QVERIFY(window.presentationMode());
        QVERIFY(!dock->isVisible());
        QVERIFY(lesson->isVisible());
        QVERIFY(window.font().pointSizeF() >= 1.5 * normal);
        QVERIFY(window.controls().font().pointSizeF() >= 1.5 * normal); // children follow
        QCOMPARE(window.curves().textScale(), 1.6);
        QVERIFY(!window.curves().showsClassTerms());
        // The lesson bar edits the request the settings panel holds.
        auto* method = lesson->findChild<QComboBox*>(QStringLiteral("lessonMethod"));
        auto* ipc = lesson->findChild<QSpinBox*>(QStringLiteral("lessonIpc"));
        QVERIFY(method && ipc);
        QCOMPARE(method->currentData().toString(), QStringLiteral("dm"));
        QCOMPARE(ipc->value(), 3);
        method->setCurrentIndex(method->findData(QStringLiteral("dsa")));
        ipc->setValue(5);
        QCOMPARE(window.config().method, std::string("dsa"));
        QCOMPARE(window.config().ipc, 5);

        window.setPresentationMode(false);
        QVERIFY(dock->isVisible());
        QVERIFY(!lesson->isVisible());
        QCOMPARE(window.font().pointSizeF(), normal);
        QCOMPARE(window.curves().textScale(), 1.0);
        QVERIFY(window.curves().showsClassTerms());
    }

    // Issue 15, item 5: no ETA while paused, and none left behind after Stop.
    void statusHasNoEtaWhilePausedOrStopped()
    {
        MainWindow window;
        window.setConfig(tinyRun("dm", 2, 100000));
        QSignalSpy finished(&window.controller(), &RunController::runFinished);
        window.startRun();
        QTRY_VERIFY_WITH_TIMEOUT(window.controller().lastIteration() > 2, 30000);
        QVERIFY2(window.statusLine().contains(QLatin1String("ETA")), qPrintable(window.statusLine()));
        window.togglePause();
        QTRY_COMPARE_WITH_TIMEOUT(window.controller().state(), RunController::State::Paused, 10000);
        QVERIFY2(window.statusLine().startsWith(QLatin1String("Paused at iteration")), qPrintable(window.statusLine()));
        QVERIFY(!window.statusLine().contains(QLatin1String("ETA")));
        window.stopRun();
        QVERIFY(finished.wait(30000));
        QVERIFY2(window.statusLine().startsWith(QLatin1String("Stopped at iteration")), qPrintable(window.statusLine()));
        QVERIFY(!window.statusLine().contains(QLatin1String("ETA")));
    }

    // Issue 15, item 7: every control a user can operate says what it does (a tooltip) and can be reached from the
    // keyboard (it takes focus with Tab, or its action has a shortcut or sits in a menu).
    void everyControlHasATooltipAndCanBeReachedFromTheKeyboard()
    {
        MainWindow window;
        window.setConfig(tinyRun("dm", 2, 3));
        window.show();
        QStringList silent;
        QStringList unreachable;
        const auto name = [](const QWidget* w) {
            QString text;
            if (const auto* b = qobject_cast<const QAbstractButton*>(w))
                text = b->text();
            return QStringLiteral("%1 '%2' (%3, in %4 %5)").arg(QString::fromLatin1(w->metaObject()->className()), text,
                w->objectName(), QString::fromLatin1(w->parentWidget()->metaObject()->className()), w->parentWidget()->objectName());
        };
        for (QWidget* w : window.findChildren<QWidget*>()) {
            const bool control = qobject_cast<QAbstractButton*>(w) || qobject_cast<QComboBox*>(w)
                || qobject_cast<QAbstractSpinBox*>(w) || qobject_cast<QAbstractSlider*>(w) || qobject_cast<QLineEdit*>(w);
            if (!control || !w->isVisibleTo(&window) || qobject_cast<QScrollBar*>(w))
                continue;
            if (w->inherits("QComboBoxPrivateScroller") || w->parentWidget()->inherits("QAbstractSpinBox")
                || w->parentWidget()->inherits("QComboBox") || w->parentWidget()->inherits("QTabBar")
                || w->parentWidget()->inherits("QLineEdit")
                || w->objectName() == QLatin1String("qt_toolbar_ext_button") || w->inherits("QDockWidgetTitleButton"))
                continue; // Qt's own parts of a control
            const auto* toolButton = qobject_cast<QToolButton*>(w);
            const QAction* action = toolButton ? toolButton->defaultAction() : nullptr;
            const QString tip = action ? action->toolTip() : w->toolTip();
            if (tip.isEmpty() || (action && tip == action->text().remove(u'&')))
                silent << name(w);
            const bool focusable = (w->focusPolicy() & Qt::TabFocus) != 0;
            const auto objects = action ? action->associatedObjects() : QList<QObject*>{};
            const bool inMenu = std::any_of(objects.begin(), objects.end(), [](QObject* o) { return qobject_cast<QMenu*>(o); });
            const bool byKey = action && (!action->shortcut().isEmpty() || inMenu);
            if (!focusable && !byKey)
                unreachable << name(w);
        }
        QVERIFY2(silent.isEmpty(), qPrintable(QStringLiteral("without a tooltip: ") + silent.join(QStringLiteral(", "))));
        QVERIFY2(unreachable.isEmpty(), qPrintable(QStringLiteral("not reachable from the keyboard: ") + unreachable.join(QStringLiteral(", "))));
    }

    // Issue 15, item 3: the timeline scrubs the grid back to any kept frame while the run goes on, replays the
    // formation, works on a reopened run, and exports it as an animation.
    void timelineScrubsReplaysAndExports()
    {
        using distillery::ui::FormationExporter;
        using distillery::ui::TimelineBar;
        MainWindow window;
        RunConfig c = tinyRun("dm", 2, 150); // 150 iterations: a frame at every one
        c.snapshotEvery = 1;
        c.finalEval = false;
        c.outDir = m_dir.filePath(QStringLiteral("timeline-runs")).toStdString();
        window.setConfig(c);
        window.show();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        TimelineBar& timeline = window.timeline();
        auto* slider = timeline.findChild<QSlider*>(QStringLiteral("timelineSlider"));
        QVERIFY(slider);

        window.stepRun(); // starts paused and takes one iteration
        QTRY_COMPARE_WITH_TIMEOUT(window.controller().lastIteration(), 1, 30000);
        for (int i = 2; i <= 4; ++i) {
            window.stepRun();
            QTRY_COMPARE_WITH_TIMEOUT(window.controller().lastIteration(), i, 10000);
        }
        QTRY_COMPARE_WITH_TIMEOUT(timeline.iterations(), (QVector<int>{0, 1, 2, 3, 4}), 10000);
        QVERIFY(timeline.followsLatest());
        QTRY_COMPARE_WITH_TIMEOUT(window.grid().snapshot().iteration, 4, 5000);
        const std::string runDir = timeline.runFolder().toStdString();

        slider->setValue(1); // dragged back, as a user would
        QVERIFY(!timeline.followsLatest());
        QCOMPARE(window.grid().snapshot().iteration, 1);
        QCOMPARE(window.grid().snapshot().images.data, distillery::core::loadTimelineFrame(runDir, 1).images.data);
        QTest::keyClick(&window, Qt::Key_Left, Qt::AltModifier); // View → Earlier frame
        QCOMPARE(window.grid().snapshot().iteration, 0);

        // The run goes on; the grid stays on the chosen frame while the timeline grows.
        window.stepRun();
        QTRY_COMPARE_WITH_TIMEOUT(timeline.iterations().size(), 6, 10000);
        QCOMPARE(window.grid().snapshot().iteration, 0);
        QCOMPARE(timeline.shownFrame(), 0);
        QTest::keyClick(&window, Qt::Key_End, Qt::AltModifier); // View → Latest set
        QVERIFY(timeline.followsLatest());
        QCOMPARE(window.grid().snapshot().iteration, 5);

        // An image opened large grows with its window, and the lesson goes on from it: F7 still steps the run.
        QTest::mouseClick(&window.grid(), Qt::LeftButton, {}, window.grid().imageRect(0).center());
        auto* dialog = window.findChild<distillery::ui::ImageDialog*>();
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible() && !dialog->isModal());
        auto* view = dialog->findChild<distillery::ui::PixelView*>(QStringLiteral("currentImage"));
        QVERIFY(view);
        const int small = view->scale();
        dialog->resize(dialog->size() * 2);
        QTRY_VERIFY_WITH_TIMEOUT(view->scale() > small, 5000);
        dialog->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(dialog));
        QTest::keyClick(dialog, Qt::Key_F7);
        QTRY_COMPARE_WITH_TIMEOUT(window.controller().lastIteration(), 6, 10000);
        dialog->close();
        QTRY_COMPARE_WITH_TIMEOUT(timeline.iterations().size(), 7, 10000);

        // Replay from the start: it ends back at the latest set.
        timeline.togglePlay();
        QVERIFY(timeline.playing());
        QCOMPARE(window.grid().snapshot().iteration, 0);
        QTRY_VERIFY_WITH_TIMEOUT(!timeline.playing(), 10000);
        QVERIFY(timeline.followsLatest());
        QCOMPARE(window.grid().snapshot().iteration, 6);

        QSignalSpy finished(&window.controller(), &RunController::runFinished);
        window.stopRun();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);

        // Exported in the background: every frame of the timeline.
        QSignalSpy exported(&window.formationExporter(), &FormationExporter::finished);
        const QString gif = m_dir.filePath(QStringLiteral("window-formation.gif"));
        window.exportFormation(gif);
        QTRY_COMPARE_WITH_TIMEOUT(exported.size(), 1, 30000);
        QCOMPARE(exported.first().at(2).toString(), QString());
        QCOMPARE(exported.first().at(1).toInt(), 7);
        QVERIFY(fixtures::readFile(gif).startsWith("GIF89a"));

        // A reopened run brings its timeline.
        MainWindow reopened;
        reopened.openSyntheticSet(QString::fromStdString(runDir));
        QCOMPARE(reopened.timeline().iterations().size(), 7);
        QCOMPARE(reopened.privacy().snapshotCount(), 7); // the movement from the start, from the timeline
        reopened.timeline().showFrame(2);
        QCOMPARE(reopened.grid().snapshot().iteration, 2);
        reopened.timeline().followLatest();
        QCOMPARE(reopened.grid().snapshot().iteration, 6);
    }

    // Issue 15, item 4: Evaluate now and both baselines go into the run folder's metrics.jsonl as they finish, and a
    // reopened run shows them all again.
    void evaluationsAndBaselinesSurviveReopening()
    {
        QSettings().remove(QStringLiteral("baselines")); // measured here, not taken from an earlier test's cache
        MainWindow window;
        window.setConfig(tinyRun("dm", 2, 10));
        window.show();
        QSignalSpy finished(&window.controller(), &RunController::runFinished);
        QSignalSpy evaluated(&window.controller(), &RunController::evaluated);
        QSignalSpy baselines(&window.controller(), &RunController::baselineReady);
        window.startRun();
        QVERIFY(finished.wait(60000));
        QTRY_COMPARE_WITH_TIMEOUT(baselines.size(), 1, 60000); // random real, measured beside the run
        window.evaluateNow(); // on the finished set
        Q_EMIT window.curves().fullDataRequested();
        QTRY_COMPARE_WITH_TIMEOUT(evaluated.size(), 2, 60000); // the run's final evaluation and Evaluate now
        QTRY_COMPARE_WITH_TIMEOUT(baselines.size(), 2, 60000);
        QTRY_COMPARE_WITH_TIMEOUT(window.controller().evaluationsInFlight(), 0, 60000);
        const std::string runDir = finished.first().at(0).value<distillery::core::RunResult>().runDir;
        const auto history = distillery::core::loadRunHistory(runDir);
        QStringList subjects;
        for (const auto& e : history.evaluations)
            subjects << QString::fromStdString(e.subject);
        subjects.sort();
        QCOMPARE(subjects, (QStringList{QStringLiteral("full data"), QStringLiteral("random real"),
                               QStringLiteral("synthetic"), QStringLiteral("synthetic")}));
        const auto value = [&](const char* subject) {
            for (const auto& e : history.evaluations)
                if (e.subject == subject)
                    return e.mean;
            return -1.0;
        };

        // DD-Ranking's scores from what the window measured, as fractions (issue 14 item 5, the window's row).
        const auto hardOrSet = [&] { // the latest evaluation of the set (Evaluate now, after the run's own)
            double latest = -1.0;
            for (const auto& e : history.evaluations)
                if (e.subject == "synthetic")
                    latest = e.mean;
            return latest;
        };
        const QString scores = window.curves().accuracy().scoresText();
        const double ior = hardOrSet() - value("random real");
        QVERIFY2(scores.contains(QStringLiteral("IOR <b>%1%2</b>").arg(ior < 0 ? QStringLiteral("−") : QStringLiteral("+"))
                                     .arg(std::abs(ior), 0, 'f', 3)), qPrintable(scores));
        QVERIFY2(scores.contains(QStringLiteral("HLR <b>%1</b>").arg(value("full data") - hardOrSet(), 0, 'f', 3)), qPrintable(scores));

        QSettings().remove(QStringLiteral("baselines")); // the reopened window must get them from the folder
        MainWindow reopened;
        reopened.openSyntheticSet(QDir(QString::fromStdString(runDir)).filePath(QStringLiteral("synthetic.safetensors")));
        QCOMPARE(reopened.curves().accuracyPointCount(), 2);
        QCOMPARE(reopened.curves().accuracy().randomBaseline().value_or(-1), value("random real"));
        QCOMPARE(reopened.curves().accuracy().fullDataReference().value_or(-1), value("full data"));
    }

    // Issue 13, item 7: MTT plots the student's distance after each unrolled step and α over iterations; learned
    // labels show as bars under each image and in the enlarged view; reopening the run brings all of it back.
    void mttShowsItsStudentAndItsLearnedLabels()
    {
        MainWindow window;
        RunConfig c = tinyRun("mtt", 2, 6);
        c.expertsDir = m_dir.filePath(QStringLiteral("experts")).toStdString();
        c.finalEval = false;
        c.params.set("experts", std::int64_t(1));
        c.params.set("maxStartEpoch", std::int64_t(1));
        c.params.set("expertEpochs", std::int64_t(1));
        c.params.set("synSteps", std::int64_t(3));
        c.params.set("labels", std::string("learned"));
        window.setConfig(c);
        window.show();
        QSignalSpy finished(&window.controller(), &RunController::runFinished);
        window.startRun();
        QVERIFY(finished.wait(120000));
        const auto& plots = window.curves().trajectory();
        QTRY_COMPARE_WITH_TIMEOUT(plots.stepSizePointCount(), 6, 5000); // α after each of the 6 iterations
        QCOMPARE(plots.unrollPointCount(), 3 + 1); // the start and the 3 student steps
        QVERIFY(!plots.showsSchedule());
        QVERIFY(plots.isVisible());

        distillery::ui::SyntheticGrid& grid = window.grid();
        QTRY_COMPARE_WITH_TIMEOUT(grid.snapshot().iteration, 6, 5000);
        QVERIFY(grid.snapshot().hasSoftLabels());
        const int classes = static_cast<int>(grid.snapshot().classNames.size());
        window.setZoom(4); // bars 16 pixels tall: a probability shows as several rows
        const QImage shot = grid.grab().toImage();
        for (int i = 0; i < 6; ++i) {
            const QRect bars = grid.labelBarsRect(i);
            QVERIFY(!bars.isEmpty());
            QCOMPARE(bars.top(), grid.imageRect(i).bottom() + 1); // just under its image
            QVERIFY(grid.rect().contains(bars));
            QCOMPARE(grid.imageAt(bars.center()), i); // a click on the bars opens that image
            if (i + 1 < 6 && grid.imageRect(i + 1).left() == grid.imageRect(i).left())
                QVERIFY(grid.imageRect(i + 1).top() > bars.bottom()); // the next class row starts below them
            // The bar of the image's own class (learned labels start at 90 % there) is drawn in that class's colour;
            // the row above the outline's bottom edge.
            const int own = static_cast<int>(grid.snapshot().labels[static_cast<std::size_t>(i)]);
            const QPoint inOwnBar(bars.left() + ((2 * own + 1) * bars.width()) / (2 * classes), bars.bottom() - 2);
            QCOMPARE(QColor(shot.pixel(inOwnBar)).rgb(), distillery::ui::classColour(own, classes).rgb());
        }

        // The enlarged view lists the same probabilities.
        distillery::ui::ImageDialog dialog(grid.snapshot(), grid.initialSnapshot(), 4);
        const auto* view = dialog.findChild<distillery::ui::LabelDistributionView*>(QStringLiteral("labelDistribution"));
        QVERIFY(view);
        double sum = 0;
        for (int k = 0; k < classes; ++k) {
            QCOMPARE(view->probability(k), grid.snapshot().softLabels[static_cast<std::size_t>(4 * classes + k)]);
            sum += view->probability(k);
        }
        QVERIFY(std::abs(sum - 1.0) < 1e-4);

        // Reopened from its folder: the same plots and bars.
        const auto result = finished.first().at(0).value<distillery::core::RunResult>();
        MainWindow reopened;
        reopened.openSyntheticSet(QDir(QString::fromStdString(result.runDir)).filePath(QStringLiteral("synthetic.safetensors")));
        QCOMPARE(reopened.curves().trajectory().stepSizePointCount(), 6);
        QCOMPARE(reopened.curves().trajectory().unrollPointCount(), 4);
        QVERIFY(reopened.grid().snapshot().hasSoftLabels());
        QVERIFY(!reopened.grid().labelBarsRect(0).isNull());
    }

    // DD: its learned step-size schedule, one value per unrolled step.
    void ddShowsItsLearnedSchedule()
    {
        MainWindow window;
        RunConfig c = tinyRun("dd", 2, 5);
        c.finalEval = false;
        c.params.set("stepBatches", std::int64_t(2));
        c.params.set("stepEpochs", std::int64_t(3));
        window.setConfig(c);
        QSignalSpy finished(&window.controller(), &RunController::runFinished);
        window.startRun();
        QVERIFY(finished.wait(60000));
        const auto& plots = window.curves().trajectory();
        QTRY_VERIFY_WITH_TIMEOUT(plots.hasData(), 5000);
        QVERIFY(plots.showsSchedule());
        QCOMPARE(plots.stepSizePointCount(), 2 * 3);
        QCOMPARE(plots.unrollPointCount(), 0);
    }

    void privacyTabInspectsTheSet()
    {
        MainWindow window;
        RunConfig c = tinyRun("dm", 2, 10);
        c.params.set("init", std::string("real"));
        window.setConfig(c);
        QSignalSpy finished(&window.controller(), &RunController::runFinished);
        QSignalSpy inspected(&window.controller(), &RunController::inspected);
        window.startRun();
        QVERIFY(finished.wait(60000));
        QVERIFY(window.privacy().snapshotCount() >= 2); // the movement slider has the run's history
        window.inspectPrivacy(false);
        QVERIFY(inspected.wait(60000));
        QCOMPARE(window.privacy().galleryRows(), 2 * 3);
        const auto report = inspected.first().at(0).value<distillery::core::PrivacyReport>();
        QCOMPARE(report.images.size(), std::size_t(6));
        QVERIFY(report.membership.empty());
        // Issue 15, item 6: plain headlines, tied to their set, marked stale once another set is shown.
        QCOMPARE(window.privacy().findingHeadlines().size(), static_cast<int>(report.findings.size()));
        QVERIFY(window.privacy().findingHeadlines().join(QLatin1Char(' ')).contains(QLatin1String("Membership inference was not run")));
        QVERIFY(!window.privacy().isStale());
        const auto run = finished.first().at(0).value<distillery::core::RunResult>();
        window.openSyntheticSet(QDir(QString::fromStdString(run.runDir)).filePath(QStringLiteral("synthetic.safetensors")));
        QVERIFY(window.privacy().isStale());

        // Save report: the page the CLI writes and its numbers beside it, for a reviewer.
        const QString html = m_dir.filePath(QStringLiteral("review.html"));
        QCOMPARE(window.privacy().saveReport(html), QString());
        QVERIFY(fixtures::readFile(html).contains("does not prove privacy"));
        const QJsonObject json = QJsonDocument::fromJson(fixtures::readFile(m_dir.filePath(QStringLiteral("review.json")))).object();
        QVERIFY(!json.isEmpty());
        QVERIFY(!window.privacy().saveReport(m_dir.filePath(QStringLiteral("missing/folder/x.html"))).isEmpty());
    }

    // A check the data cannot support is refused at once, with the reason, not after a run's worth of waiting.
    void privacyCheckThatCannotRunIsRefusedAtOnce()
    {
        MainWindow window;
        RunConfig c = tinyRun("random", 10, 0); // 30 images; the toy test split holds 30, the check needs 62
        window.setConfig(c);
        QSignalSpy finished(&window.controller(), &RunController::runFinished);
        window.startRun();
        QVERIFY(finished.wait(60000));
        window.inspectPrivacy(false);
        QVERIFY2(window.privacy().summaryText().contains(QLatin1String("too few test images (30)")),
            qPrintable(window.privacy().summaryText()));
        QVERIFY(!window.controller().inspectionRunning());
    }

    // Issue 12: the resolved config of a run is never the next request. Herding resolves iterations = IPC and, as
    // the old window fed it back, the next DM run recorded 1 iteration and herding's real images.
    void eachMethodRunsWithItsOwnDefaultsAfterAnother()
    {
        MainWindow window;
        window.controller().setStopAfterIteration(2); // the DM/DC runs below only need to start
        RunConfig c = tinyRun("herding", 2, 0);
        c.params.set("features", std::string("pixels"));
        window.setConfig(c);
        const RunConfig herding = runAndReadConfig(window);
        QCOMPARE(herding.iterations, 2); // one per image per class
        QCOMPARE(window.config().iterations, 0); // still auto in the request

        chooseMethod(window, QStringLiteral("dm"));
        QVERIFY(window.config().params.empty()); // herding's features did not come along
        const RunConfig dm = runAndReadConfig(window);
        QCOMPARE(dm.iterations, 1000); // DM's classroom default, not herding's 2
        QCOMPARE(dm.params.text("init"), std::string("noise"));
        QCOMPARE(dm.params.real("lrImage"), 1.0);
        QVERIFY(!dm.params.has("features"));

        // DSA, then DC without touching anything: DC's own defaults (no augmentation, noise), not DSA's. DC's
        // classroom real batch (32 per class) needs a larger toy set.
        RunConfig d = tinyRun("dsa", 2, 1);
        d.data.source = fixtures::writeToyIdxDataset(m_dir.filePath(QStringLiteral("toy40")), 3, 40, 10).toStdString();
        window.setConfig(d);
        const RunConfig dsa = runAndReadConfig(window);
        QCOMPARE(dsa.params.text("init"), std::string("real"));
        QVERIFY(dsa.params.text("augment") != "none");
        chooseMethod(window, QStringLiteral("dc"));
        const RunConfig dc = runAndReadConfig(window);
        QCOMPARE(dc.method, std::string("dc"));
        QCOMPARE(dc.params.text("augment"), std::string("none"));
        QCOMPARE(dc.params.text("init"), std::string("noise"));
        QCOMPARE(dc.params.integer("realBatch"), std::int64_t(32)); // DSA's 4 was DSA's request, not DC's
    }

    void autoFieldsShowWhatTheyResolveToAndFollowTheMethod()
    {
        MainWindow window;
        RunConfig c = tinyRun("dm", 10, 0);
        c.params = {};
        window.setConfig(c);
        QCOMPARE(shownResolved(window, "lrImage"), QStringLiteral("→ 1"));
        QCOMPARE(shownResolved(window, "realBatch"), QStringLiteral("→ 16"));
        QCOMPARE(window.controls().resolved()->iterations, 1000);

        chooseMethod(window, QStringLiteral("dc"));
        QCOMPARE(shownResolved(window, "lrImage"), QStringLiteral("→ 0.1"));
        QCOMPARE(shownResolved(window, "outerLoops"), QStringLiteral("→ 5")); // classroom caps IPC 10's 10
        QCOMPARE(window.controls().resolved()->iterations, 200);
        auto* ipc = window.controls().findChild<QSpinBox*>(QStringLiteral("ipc"));
        ipc->setValue(1);
        QCOMPARE(shownResolved(window, "outerLoops"), QStringLiteral("→ 1")); // IPC 1's row of the table

        // A value typed for DC stays DC's: DM shows its own auto, and DC gets it back.
        auto* lr = window.controls().findChild<distillery::ui::ParamEditor*>(QStringLiteral("param-lrImage"));
        QVERIFY(lr);
        auto* field = lr->findChild<QLineEdit*>();
        field->setText(QStringLiteral("0.05"));
        Q_EMIT field->textEdited(field->text());
        QCOMPARE(window.config().params.real("lrImage"), 0.05);
        QCOMPARE(shownResolved(window, "lrImage"), QString()); // set by the user: no echo
        chooseMethod(window, QStringLiteral("dm"));
        QVERIFY(!window.config().params.has("lrImage"));
        QCOMPARE(shownResolved(window, "lrImage"), QStringLiteral("→ 1"));
        chooseMethod(window, QStringLiteral("dc"));
        QCOMPARE(window.config().params.real("lrImage"), 0.05);

        // A value out of range is named and never becomes the request.
        lr = window.controls().findChild<distillery::ui::ParamEditor*>(QStringLiteral("param-lrImage"));
        field = lr->findChild<QLineEdit*>();
        field->setText(QStringLiteral("-3"));
        Q_EMIT field->textEdited(field->text());
        QVERIFY(!lr->valid());
        QVERIFY(window.controls().resolveError().contains(QLatin1String("outside")));
    }

    void aLoadedConfigurationIsUsedAsGiven()
    {
        MainWindow window;
        window.controller().setStopAfterIteration(1);
        RunConfig c = tinyRun("dsa", 2, 7);
        c.params.set("lrImage", 0.02);
        c.params.set("outerLoops", std::int64_t(2));
        c.params.set("augment", std::string("crop_flip"));
        c.eval.epochs = 3;
        window.setConfig(c);
        const RunConfig recorded = runAndReadConfig(window);
        QCOMPARE(recorded.iterations, 7);
        QCOMPARE(recorded.params.real("lrImage"), 0.02);
        QCOMPARE(recorded.params.integer("outerLoops"), std::int64_t(2));
        QCOMPARE(recorded.params.text("augment"), std::string("crop_flip"));
        QCOMPARE(recorded.eval.epochs, 3);
        QCOMPARE(distillery::core::toJson(window.config()), distillery::core::toJson(c)); // the request is unchanged
    }

    // Issue 14 item 4 in the window: the Data box's selection reaches the run, and the Data selection tab shows what
    // was kept (counts, histogram, examples), live and again when the run's set is reopened.
    void dataSelectionIsChosenInThePanelAndShown()
    {
        MainWindow window;
        RunConfig c = tinyRun("dm", 2, 2);
        c.scoresDir = m_dir.filePath(QStringLiteral("scores")).toStdString();
        c.finalEval = false;
        window.setConfig(c);
        QCOMPARE(window.selection().summary().contains(QLatin1String("every training image")), false);
        auto* rule = window.controls().findChild<QComboBox*>(QStringLiteral("select"));
        auto* percent = window.controls().findChild<QDoubleSpinBox*>(QStringLiteral("selectFraction"));
        auto* score = window.controls().findChild<QComboBox*>(QStringLiteral("selectScore"));
        QVERIFY(rule && percent && score);
        QVERIFY(!percent->isEnabled()); // every image: nothing to set
        rule->setCurrentIndex(rule->findData(QStringLiteral("drop-easiest")));
        QVERIFY(percent->isEnabled() && score->isEnabled());
        percent->setValue(50);
        const RunConfig recorded = runAndReadConfig(window);
        QCOMPARE(recorded.data.select, std::string("drop-easiest"));
        QCOMPARE(recorded.data.selectFraction, 0.5);
        QVERIFY2(window.selection().summary().startsWith(QLatin1String("Kept 36 of 72")), qPrintable(window.selection().summary()));
        QVERIFY(window.selection().summary().contains(QLatin1String("lowest")));
        QCOMPARE(window.selection().histogramTotals(), std::make_pair(36.0, 36.0));
        QCOMPARE(window.selection().examplesGrid(), QSize(6, 3));

        // Reopened from its folder: the same view; a run without selection says it used every image.
        const QString runDir = window.lastRunDir();
        window.selection().clear();
        window.openSyntheticSet(runDir);
        QVERIFY(window.selection().summary().startsWith(QLatin1String("Kept 36 of 72")));
        rule->setCurrentIndex(rule->findData(QStringLiteral("none")));
        QVERIFY(!percent->isEnabled());
        QCOMPARE(runAndReadConfig(window).data.select, std::string("none"));
        QVERIFY2(window.selection().summary().contains(QLatin1String("every training image")), qPrintable(window.selection().summary()));
    }

    void quitAfterIterationsRunsExactlyThatMany()
    {
        auto* window = new MainWindow;
        window->setConfig(tinyRun("dm", 2, 100000));
        MainWindow::Automation scripted;
        scripted.quitAfterIterations = 5;
        scripted.quitWhenStopped = false; // the test reads the result instead of quitting
        QSignalSpy finished(&window->controller(), &RunController::runFinished);
        window->setAutomation(scripted);
        window->startRun();
        QVERIFY(finished.wait(60000));
        const auto result = finished.first().at(0).value<distillery::core::RunResult>();
        QCOMPARE(result.iterations, 5);
        QVERIFY(result.stopped);
        QFile metrics(QString::fromStdString(result.runDir) + QStringLiteral("/metrics.jsonl"));
        QVERIFY(metrics.open(QIODevice::ReadOnly));
        int steps = 0;
        for (const QByteArray& line : metrics.readAll().split('\n'))
            steps += line.contains("\"type\":\"step\"") ? 1 : 0;
        QCOMPARE(steps, 5);
        delete window;
    }

    // Issue 16, defect 5: a scripted window waited forever on a message box nobody would answer (--resume of a bad
    // folder with --quit-after-iterations), and a failed --autostart run left the program to exit 0.
    void scriptedRunsReportFailuresOnStderrAndClose()
    {
        {
            MainWindow window;
            window.show();
            const QString notARun = m_dir.filePath(QStringLiteral("not-a-run"));
            QVERIFY(QDir().mkpath(notARun));
            MainWindow::Automation scripted;
            scripted.resume = notARun;
            scripted.quitAfterIterations = 2;
            scripted.quitWhenStopped = true;
            window.setAutomation(scripted);
            QTRY_VERIFY_WITH_TIMEOUT(window.automationFailed(), 20000);
            QTRY_VERIFY_WITH_TIMEOUT(!window.isVisible(), 20000);
        }
        {
            MainWindow window;
            RunConfig broken = tinyRun("dm", 2, 5);
            broken.data.source = "idx:" + m_dir.filePath(QStringLiteral("no-such-data")).toStdString();
            window.setConfig(broken);
            window.show();
            QSignalSpy failed(&window.controller(), &RunController::runFailed);
            MainWindow::Automation scripted;
            scripted.autostart = true;
            window.setAutomation(scripted);
            QVERIFY(failed.wait(60000));
            QTRY_VERIFY_WITH_TIMEOUT(!window.isVisible(), 20000);
            QVERIFY(window.automationFailed());
        }
    }

    void settingsLockWhileRunning()
    {
        MainWindow window;
        window.setConfig(tinyRun("dm", 2, 100000));
        QSignalSpy steps(&window.controller(), &RunController::stepsCompleted);
        QSignalSpy finished(&window.controller(), &RunController::runFinished);
        window.startRun();
        QVERIFY(steps.wait(30000));
        QVERIFY(!window.controls().findChildren<QSpinBox*>().first()->isEnabled());
        window.stopRun();
        QVERIFY(finished.wait(30000));
        QVERIFY(window.controls().findChildren<QSpinBox*>().first()->isEnabled());
    }

    void savedConfigReloadsToTheSameSettings()
    {
        MainWindow window;
        RunConfig c = tinyRun("herding", 7, 0);
        c.seed = 1234;
        c.params.set("features", std::string("convnet"));
        c.eval.augment = "none";
        window.setConfig(c);
        const std::string path = m_dir.filePath(QStringLiteral("config.json")).toStdString();
        distillery::core::saveRunConfig(window.config(), path);
        MainWindow other;
        other.setConfig(distillery::core::loadRunConfig(path));
        QCOMPARE(distillery::core::toJson(other.config()), distillery::core::toJson(window.config()));
        QCOMPARE(other.config().seed, std::uint64_t(1234));
        QCOMPARE(other.config().method, std::string("herding"));
    }

    void continuesAStoppedRun()
    {
        // A run stopped at iteration 3 of 8 (core API), continued from the window: it steps on from 4 in its own
        // folder and ends at 8.
        RunConfig c = tinyRun("dm", 2, 8);
        c.outDir = m_dir.filePath(QStringLiteral("runs")).toStdString();
        c.finalEval = false;
        distillery::core::Session first(c);
        const QString runDir = QString::fromStdString(fixtures::runStoppingAfter(first, 3).runDir);

        MainWindow window;
        window.show();
        QSignalSpy steps(&window.controller(), &RunController::stepsCompleted);
        QSignalSpy finished(&window.controller(), &RunController::runFinished);
        window.continueRun(runDir);
        QVERIFY(finished.wait(60000));
        const auto result = finished.first().at(0).value<distillery::core::RunResult>();
        QCOMPARE(result.iterations, 8);
        QCOMPARE(QString::fromStdString(result.runDir), runDir);
        QVERIFY(!steps.isEmpty());
        QCOMPARE(steps.first().at(0).value<QList<distillery::core::StepStats>>().front().iteration, 4);
        QCOMPARE(window.config().method, std::string("dm"));
        // The loss curve holds the 3 iterations from before the stop and the 5 after.
        QTRY_COMPARE_WITH_TIMEOUT(window.curves().lossPointCount(), 8, 5000);
    }

    void continuingARunCutDuringItsFinalEvaluationEvaluatesIt()
    {
        // All 3 iterations done, the final evaluation stopped: the window continues it without asking for more
        // iterations (no dialog), and the run ends evaluated.
        RunConfig c = tinyRun("dm", 2, 3);
        c.outDir = m_dir.filePath(QStringLiteral("runs")).toStdString();
        c.finalEval = true;
        c.eval.models = 1;
        distillery::core::Session first(c);
        distillery::core::RunControl control;
        distillery::core::SessionCallbacks callbacks;
        callbacks.onEvalProgress = [&](const distillery::core::EvalProgress&) { control.requestStop(); };
        const QString runDir = QString::fromStdString(first.run(control, callbacks).runDir);
        QVERIFY(distillery::core::runFolderNeedsFinalEvaluation(runDir.toStdString()));

        MainWindow window;
        window.show();
        QSignalSpy finished(&window.controller(), &RunController::runFinished);
        window.continueRun(runDir);
        QVERIFY(finished.wait(60000));
        const auto result = finished.first().at(0).value<distillery::core::RunResult>();
        QCOMPARE(result.iterations, 3);
        QVERIFY(!result.stopped);
        QCOMPARE(result.evaluations.size(), std::size_t(1));
        QVERIFY(!distillery::core::runFolderNeedsFinalEvaluation(runDir.toStdString()));
    }

    void closingMidRunNeitherHangsNorCrashes()
    {
        auto* window = new MainWindow;
        window->setConfig(tinyRun("dm", 2, 100000));
        MainWindow::Automation scripted;
        scripted.quitWhenStopped = true; // scripted: no question box
        window->setAutomation(scripted);
        window->show();
        QSignalSpy steps(&window->controller(), &RunController::stepsCompleted);
        window->startRun();
        QVERIFY(steps.wait(30000));
        window->close(); // stops the run, closes once the session has saved
        QTRY_VERIFY_WITH_TIMEOUT(!window->isVisible(), 30000);
        QCOMPARE(window->controller().state(), RunController::State::Idle);
        delete window;
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "fixtures.h"

#include "controller/runcontroller.h"
#include "widgets/controlpanel.h"
#include "widgets/curvespanel.h"
#include "widgets/mainwindow.h"
#include "widgets/privacypanel.h"
#include "widgets/syntheticgrid.h"

#include <distillery/config.h>
#include <distillery/session.h>

#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

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
        window.startRun();
        QVERIFY(finished.wait(60000));
        // IPC × classes images in a classes × IPC grid.
        QTRY_COMPARE_WITH_TIMEOUT(window.grid().displayedImages(), 3 * 3, 5000);
        QCOMPARE(window.grid().rows(), 3);
        QCOMPARE(window.grid().columns(), 3);
        QTRY_COMPARE_WITH_TIMEOUT(window.curves().lossPointCount(), 30, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(window.curves().accuracyPointCount(), 1, 5000); // the final evaluation
        // Replots are merged: far fewer than the 30 iterations that arrived.
        QVERIFY(window.curves().replotCount() <= 30);
        // Every image is found where it is drawn (a click opens that one); the class-name column holds none.
        for (int i = 0; i < 9; ++i)
            QCOMPARE(window.grid().imageAt(window.grid().imageRect(i).center()), i);
        QCOMPARE(window.grid().imageRect(4).topLeft().y(), window.grid().imageRect(3).topLeft().y()); // class 1 row
        QCOMPARE(window.grid().imageAt(QPoint(1, 1)), -1);
    }

    void privacyTabInspectsTheSet()
    {
        MainWindow window;
        RunConfig c = tinyRun("dm", 2, 10);
        c.params.init = "real";
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
        c.params.init = "real";
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

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "fixtures.h"

#include "controller/runcontroller.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using distillery::core::RunConfig;
using distillery::core::StepStats;
using distillery::ui::RunController;

class TestRunController : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::string m_source;

    RunConfig tinyRun(int iterations = 100000)
    {
        RunConfig c = fixtures::tinyRun(m_source, "dm", 2, iterations);
        c.threads = 1;
        c.outDir = m_dir.filePath(QStringLiteral("runs")).toStdString();
        return c;
    }

    /// The highest iteration reported so far.
    static int lastIteration(const QSignalSpy& steps)
    {
        if (steps.isEmpty())
            return 0;
        return steps.last().at(0).value<QList<StepStats>>().back().iteration;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("DistilleryTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_runcontroller"));
        m_source = fixtures::writeToyIdxDataset(m_dir.filePath(QStringLiteral("toy"))).toStdString();
    }

    void runsToTheEndWithSnapshotsAndEvaluation()
    {
        RunController controller;
        QSignalSpy snapshots(&controller, &RunController::snapshotReady);
        QSignalSpy finished(&controller, &RunController::runFinished);
        QSignalSpy evaluated(&controller, &RunController::evaluated);
        QSignalSpy baseline(&controller, &RunController::baselineReady);
        controller.start(tinyRun(20));
        QVERIFY(finished.wait(60000));
        QVERIFY(!snapshots.isEmpty());
        const auto last = snapshots.last().at(0).value<distillery::core::Snapshot>();
        QCOMPARE(last.iteration, 20);
        QCOMPARE(last.images.count, 2 * 3);
        QVERIFY(!snapshots.last().at(1).value<QImage>().isNull());
        const auto result = finished.first().at(0).value<distillery::core::RunResult>();
        QVERIFY(!result.stopped);
        QCOMPARE(result.iterations, 20);
        QCOMPARE(evaluated.size(), 1); // the session's final evaluation
        QTRY_VERIFY_WITH_TIMEOUT(!baseline.isEmpty(), 60000); // random real at the same IPC, beside the run
        QCOMPARE(controller.state(), RunController::State::Idle);
    }

    void pauseResumeStepAndStop()
    {
        RunController controller;
        QSignalSpy steps(&controller, &RunController::stepsCompleted);
        QSignalSpy finished(&controller, &RunController::runFinished);
        controller.start(tinyRun(), false);
        QTRY_VERIFY_WITH_TIMEOUT(lastIteration(steps) >= 3, 30000);

        controller.pause();
        QCOMPARE(controller.state(), RunController::State::Paused);
        QTest::qWait(300); // let an iteration already under way report
        const int paused = lastIteration(steps);
        QTest::qWait(500);
        QCOMPARE(lastIteration(steps), paused); // paused: the count stands still

        controller.step();
        QTRY_COMPARE_WITH_TIMEOUT(lastIteration(steps), paused + 1, 10000);
        QTest::qWait(500);
        QCOMPARE(lastIteration(steps), paused + 1); // exactly one

        controller.resume();
        QTRY_VERIFY_WITH_TIMEOUT(lastIteration(steps) > paused + 3, 30000);

        controller.stop();
        QVERIFY(finished.wait(30000));
        QVERIFY(finished.first().at(0).value<distillery::core::RunResult>().stopped);
        QCOMPARE(controller.state(), RunController::State::Idle);
    }

    void evaluateNowWhileRunning()
    {
        RunController controller;
        QSignalSpy steps(&controller, &RunController::stepsCompleted);
        QSignalSpy evaluated(&controller, &RunController::evaluated);
        controller.start(tinyRun(), false);
        QTRY_VERIFY_WITH_TIMEOUT(lastIteration(steps) >= 2, 30000);
        controller.evaluateNow();
        QVERIFY(evaluated.wait(60000));
        const auto result = evaluated.first().at(0).value<distillery::core::EvalResult>();
        QVERIFY(result.iteration >= 2);
        QCOMPARE(result.accuracies.size(), std::size_t(1));
        QVERIFY(lastIteration(steps) > result.iteration || controller.isActive()); // distillation went on
        controller.stop();
    }

    void newRunDropsTheOldOnesResults()
    {
        RunController controller;
        QSignalSpy finished(&controller, &RunController::runFinished);
        QSignalSpy snapshots(&controller, &RunController::snapshotReady);
        controller.start(tinyRun(), false);
        QTRY_VERIFY_WITH_TIMEOUT(!snapshots.isEmpty(), 30000);
        controller.start(tinyRun(5), false); // replaces the first run
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.size(), 1); // only the second run's end arrives
        QCOMPARE(finished.first().at(0).value<distillery::core::RunResult>().iterations, 5);
    }

    void badDataFailsCleanly()
    {
        RunController controller;
        QSignalSpy failed(&controller, &RunController::runFailed);
        RunConfig c = tinyRun(5);
        c.data.source = "idx:" + m_dir.filePath(QStringLiteral("missing")).toStdString();
        controller.start(c);
        QVERIFY(failed.wait(30000));
        QVERIFY(failed.first().at(0).toString().contains(QLatin1String("folder not found")));
        QCOMPARE(controller.state(), RunController::State::Idle);
    }

    void destroyingMidRunDoesNotHang()
    {
        auto* controller = new RunController;
        QSignalSpy steps(controller, &RunController::stepsCompleted);
        controller->start(tinyRun());
        QTRY_VERIFY_WITH_TIMEOUT(!steps.isEmpty(), 30000);
        controller->pause(); // the hardest case: the worker is blocked waiting
        QElapsedTimer timer;
        timer.start();
        delete controller;
        QVERIFY(timer.elapsed() < 20000);
    }
};

QTEST_GUILESS_MAIN(TestRunController)
#include "tst_runcontroller.moc"

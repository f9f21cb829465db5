// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "controller/runstatus.h"

#include <QTest>

using distillery::core::StepStats;
using distillery::ui::RunStatus;

class TestRunStatus : public QObject
{
    Q_OBJECT

    static StepStats step(int iteration, int total, double elapsed)
    {
        StepStats s;
        s.iteration = iteration;
        s.totalIterations = total;
        s.elapsedSeconds = elapsed;
        return s;
    }

private Q_SLOTS:
    void runningShowsRateAndEta()
    {
        RunStatus status;
        status.preparing();
        QCOMPARE(status.view().label, QStringLiteral("Preparing…"));
        status.prepared(200);
        status.step(step(50, 200, 10.0)); // 5 it/s, 150 left: 30 s
        const auto v = status.view();
        QCOMPARE(v.label, QStringLiteral("Iteration 50 / 200"));
        QCOMPARE(v.rate, QStringLiteral("5.00 it/s, ETA 0:30"));
        QCOMPARE(v.value, 50);
        QCOMPARE(v.maximum, 200);
        QVERIFY(v.progressVisible);
    }

    void noEtaWhilePausedOrStopping()
    {
        RunStatus status;
        status.preparing();
        status.prepared(200);
        status.step(step(7, 200, 1.0));
        status.setPaused(true);
        QCOMPARE(status.view().label, QStringLiteral("Paused at iteration 7 / 200"));
        QVERIFY(!status.view().rate.contains(QLatin1String("ETA")));
        status.step(step(8, 200, 1.2)); // Step while paused: one iteration, still paused
        QCOMPARE(status.phase(), RunStatus::Phase::Paused);
        QCOMPARE(status.view().label, QStringLiteral("Paused at iteration 8 / 200"));
        status.setPaused(false);
        QVERIFY(status.view().rate.contains(QLatin1String("ETA")));
        status.stopping();
        QCOMPARE(status.view().label, QStringLiteral("Stopping at iteration 8…"));
        QVERIFY(status.view().rate.isEmpty());
        status.ended(true, 8);
        QCOMPARE(status.view().label, QStringLiteral("Stopped at iteration 8 of 200"));
        QVERIFY(status.view().rate.isEmpty()); // the last ETA does not stay behind
    }

    void theFinalEvaluationShowsItsOwnProgress()
    {
        RunStatus status;
        status.preparing();
        status.prepared(10);
        status.step(step(10, 10, 2.0));
        status.finalEvaluation(1, 2, 450, 602, 30.0); // second model, 450 of 602 epochs in 30 s
        const auto v = status.view();
        QCOMPARE(v.label, QStringLiteral("Final evaluation: model 2 of 2"));
        QCOMPARE(v.value, 450);
        QCOMPARE(v.maximum, 602);
        QCOMPARE(v.rate, QStringLiteral("ETA 0:10")); // 152 epochs at 15 per second, not the iterations' 0:00
        status.ended(false, 10);
        QCOMPARE(status.view().label, QStringLiteral("Finished 10 iterations"));
        QCOMPARE(status.view().rate, QStringLiteral("5.00 it/s on average"));
    }

    void preparationStagesHaveTheirOwnEta()
    {
        RunStatus status;
        status.preparing();
        status.stage(QStringLiteral("training expert trajectories"), QStringLiteral("batches"), 0, 940, 0.5);
        QCOMPARE(status.view().rate, QStringLiteral("ETA –")); // nothing to go by yet
        status.stage(QStringLiteral("training expert trajectories"), QStringLiteral("batches"), 235, 940, 20.0);
        QCOMPARE(status.view().label, QStringLiteral("training expert trajectories: 235 of 940 batches"));
        QCOMPARE(status.view().rate, QStringLiteral("ETA 1:00"));
        status.stopping(); // a stop during preparation: no stage text comes back over it
        status.stage(QStringLiteral("training expert trajectories"), QStringLiteral("batches"), 240, 940, 20.5);
        QCOMPARE(status.phase(), RunStatus::Phase::Stopping);
        status.reset();
        QCOMPARE(status.view().label, QStringLiteral("Ready"));
        QVERIFY(!status.view().progressVisible);
    }

    // A stop before the first iteration has no iteration to name and no set: it says so.
    void aStopWhilePreparingSaysSo()
    {
        RunStatus status;
        status.preparing();
        status.stage(QStringLiteral("scoring the training images"), QStringLiteral("batches"), 40, 2350, 6.0);
        status.stopping();
        status.ended(true, 0);
        QVERIFY(status.stoppedWhilePreparing());
        QCOMPARE(status.view().label, QStringLiteral("Stopped while preparing"));
        QVERIFY(!status.view().progressVisible);
        status.preparing();
        status.prepared(200);
        status.stopping();
        status.ended(true, 0); // stopped as the first iteration began: a set exists
        QVERIFY(!status.stoppedWhilePreparing());
        QCOMPARE(status.view().label, QStringLiteral("Stopped at iteration 0 of 200"));
    }

    // A scoring or an expert that continues kept progress starts at batch 396: the ETA goes by the 65 batches done
    // in these 10 s (about 4:51 for the 1889 left), not by all 461 (which would say 0:41).
    void aContinuedStageCountsOnlyItsOwnWork()
    {
        RunStatus status;
        status.preparing();
        const QString stage = QStringLiteral("scoring the training images");
        status.stage(stage, QStringLiteral("batches"), 396, 2350, 0.0, 396);
        QCOMPARE(status.view().rate, QStringLiteral("ETA –"));
        status.stage(stage, QStringLiteral("batches"), 461, 2350, 10.0, 396);
        QCOMPARE(status.view().label, QStringLiteral("scoring the training images: 461 of 2350 batches"));
        QCOMPARE(status.view().rate, QStringLiteral("ETA 4:51"));
    }
};

QTEST_GUILESS_MAIN(TestRunStatus)
#include "tst_runstatus.moc"

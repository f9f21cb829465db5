// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// The original dataset distillation (issue 13): learning, the learned step sizes, both evaluations, resume.
#include "fixtures.h"

#include <distillery/error.h>
#include <distillery/evaluation.h>
#include <distillery/runcontrol.h>
#include <distillery/session.h>
#include <distillery/syntheticio.h>

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <numeric>

using namespace distillery::core;

class TestDd : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::string m_data;

    RunConfig config()
    {
        RunConfig c = fixtures::tinyRun(m_data, "dd", 2, 6);
        c.outDir = m_dir.filePath(QStringLiteral("runs")).toStdString();
        c.finalEval = false;
        c.params.set("stepBatches", std::int64_t(2));
        c.params.set("stepEpochs", std::int64_t(2));
        c.seed = 4;
        return c;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_data = fixtures::writeToyIdxDataset(m_dir.filePath(QStringLiteral("data")), 3, 24, 10).toStdString();
    }

    void ddLowersItsLossAndLearnsOneStepSizePerStep()
    {
        RunConfig c = config();
        c.iterations = 60;
        c.params.set("lrImage", 0.05);
        std::vector<double> losses;
        std::vector<std::vector<double>> schedules;
        SessionCallbacks callbacks;
        callbacks.onStep = [&](const StepStats& s) {
            losses.push_back(s.loss);
            schedules.push_back(s.stepSizes);
            QVERIFY(s.unrollCurve.empty());
        };
        Session session(c);
        RunControl control;
        session.run(control, callbacks);
        QCOMPARE(losses.size(), std::size_t(60));
        const double first = std::accumulate(losses.begin(), losses.begin() + 10, 0.0) / 10;
        const double last = std::accumulate(losses.end() - 10, losses.end(), 0.0) / 10;
        QVERIFY2(last < 0.8 * first, qPrintable(QStringLiteral("%1 -> %2").arg(first).arg(last)));
        const SyntheticSet set = session.synthetic();
        QCOMPARE(set.learnedLr.size(), std::size_t(4)); // 2 step batches × 2 rounds
        bool moved = false;
        for (float eta : set.learnedLr) {
            QVERIFY(eta > 0);
            moved = moved || std::abs(eta - 0.02f) > 1e-4f;
        }
        QVERIFY(moved);
        // Every step reports the schedule after it (the window's step-size plot); the last one is the set's.
        QCOMPARE(schedules.back().size(), set.learnedLr.size());
        for (std::size_t t = 0; t < set.learnedLr.size(); ++t)
            QCOMPARE(static_cast<float>(schedules.back()[t]), set.learnedLr[t]);
        QVERIFY(schedules.front() != schedules.back());
    }

    void stepBatchesMustDivideTheIpc()
    {
        RunConfig c = config();
        c.params.set("stepBatches", std::int64_t(3));
        const QString error = fixtures::errorMessage([&] {
            Session s(c);
            s.prepare();
        });
        QVERIFY2(error.contains(QLatin1String("params.stepBatches")), qPrintable(error));
    }

    void evaluatedByReplayAndByTheProtocol()
    {
        RunConfig c = config();
        c.finalEval = true;
        c.eval.models = 2;
        c.params.set("netInit", std::string("fixed"));
        Session session(c);
        RunControl control;
        const RunResult r = session.run(control);
        QCOMPARE(r.evaluations.size(), std::size_t(2));
        const EvalResult& replayed = r.evaluations[0];
        QCOMPARE(replayed.subject, std::string("synthetic, replayed steps"));
        QCOMPARE(replayed.epochs, 2);
        QCOMPARE(replayed.augment, std::string("none"));
        // From the one fixed initialisation every replay is the same network.
        QCOMPARE(replayed.accuracies.size(), std::size_t(2));
        QCOMPARE(replayed.accuracies[0], replayed.accuracies[1]);
        const EvalResult& standard = r.evaluations[1];
        QCOMPARE(standard.subject, std::string("synthetic"));
        QCOMPARE(standard.learnedLr, 0.0); // a schedule is not a learning rate for the protocol's epochs
        QCOMPARE(standard.epochs, c.eval.epochs);

        // The exported file carries the schedule, and the standard evaluation of that file runs.
        const SyntheticSet saved = loadSyntheticSet(r.runDir + "/synthetic.safetensors");
        QCOMPARE(saved.learnedLr.size(), std::size_t(4));
    }

    void resumedRunEqualsUninterruptedRun_data()
    {
        QTest::addColumn<QString>("labels");
        QTest::newRow("hard") << QStringLiteral("hard");
        QTest::newRow("learned") << QStringLiteral("learned");
    }

    void resumedRunEqualsUninterruptedRun()
    {
        // Needs Adam's moments and the step sizes in the checkpoint: without them the sets differ.
        QFETCH(QString, labels);
        RunConfig c = config();
        c.params.set("labels", labels.toStdString());
        Session whole(c);
        RunControl wholeControl;
        whole.run(wholeControl);

        Session first(c);
        const RunResult stopped = fixtures::runStoppingAfter(first, 3);
        QCOMPARE(stopped.iterations, 3);
        Session resumed(loadRunFolderConfig(stopped.runDir), stopped.runDir);
        RunControl control;
        QCOMPARE(resumed.run(control).iterations, 6);
        QCOMPARE(resumed.synthetic().images.data, whole.synthetic().images.data);
        QCOMPARE(resumed.synthetic().learnedLr, whole.synthetic().learnedLr);
        QCOMPARE(resumed.synthetic().softLabels, whole.synthetic().softLabels);
    }
};

QTEST_GUILESS_MAIN(TestDd)
#include "tst_dd.moc"

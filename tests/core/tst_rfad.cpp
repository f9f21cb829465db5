// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// Random-feature kernel distillation (issue 14): the kernel ridge solve, learning, per-class terms, resume.
#include "fixtures.h"

#include <distillery/diagnostics.h>
#include <distillery/error.h>
#include <distillery/runcontrol.h>
#include <distillery/session.h>
#include <distillery/syntheticio.h>

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <numeric>

using namespace distillery::core;

class TestRfad : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::string m_data;

    RunConfig config(int iterations)
    {
        RunConfig c = fixtures::tinyRun(m_data, "rfad", 2, iterations);
        c.outDir = m_dir.filePath(QStringLiteral("runs")).toStdString();
        c.finalEval = false;
        c.params.set("realBatch", std::int64_t(8));
        c.seed = 3;
        return c;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_data = fixtures::writeToyIdxDataset(m_dir.filePath(QStringLiteral("data")), 3, 24, 10).toStdString();
    }

    void kernelRidgeSolvesTheRegression()
    {
        const KernelRidgeCheck check = checkKernelRidge(12, 30, 64, 3, 5e-3, 1);
        QVERIFY2(check.inverseError < 1e-6, qPrintable(QString::number(check.inverseError)));
        // With next to no ridge the regression reproduces its own supports' targets.
        QVERIFY2(check.interpolationError < 1e-3, qPrintable(QString::number(check.interpolationError)));
        QVERIFY(check.supportGradient > 0 && std::isfinite(check.supportGradient));
        QVERIFY(check.targetGradient > 0 && std::isfinite(check.targetGradient));
    }

    void rfadLowersItsLossWithPerClassTerms_data()
    {
        QTest::addColumn<QString>("loss");
        QTest::newRow("mse") << QStringLiteral("mse");
        QTest::newRow("platt") << QStringLiteral("platt");
    }

    void rfadLowersItsLossWithPerClassTerms()
    {
        QFETCH(QString, loss);
        RunConfig c = config(40);
        c.params.set("loss", loss.toStdString());
        c.params.set("redrawEvery", std::int64_t(1000)); // one draw of networks: the loss must fall steadily
        std::vector<double> losses;
        SessionCallbacks callbacks;
        callbacks.onStep = [&](const StepStats& s) {
            losses.push_back(s.loss);
            QCOMPARE(s.classTerms.size(), std::size_t(3));
            const double mean = std::accumulate(s.classTerms.begin(), s.classTerms.end(), 0.0) / 3.0;
            QVERIFY(std::abs(mean - s.loss) <= 1e-4 * std::max(1.0, s.loss)); // the loss is the classes' mean
        };
        Session session(c);
        RunControl control;
        const RunResult r = session.run(control, callbacks);
        QCOMPARE(losses.size(), std::size_t(40));
        const double first = std::accumulate(losses.begin(), losses.begin() + 5, 0.0);
        const double last = std::accumulate(losses.end() - 5, losses.end(), 0.0);
        QVERIFY2(last < 0.8 * first, qPrintable(QStringLiteral("%1 → %2").arg(first).arg(last)));
        const SyntheticSet set = loadSyntheticSet(r.runDir);
        QCOMPARE(set.images.count, 6);
        QVERIFY(!set.hasSoftLabels()); // fixed class targets: hard labels
        QCOMPARE(set.metadata.at("method"), std::string("rfad"));
    }

    void resumedRunEqualsUninterruptedRun_data()
    {
        QTest::addColumn<QString>("loss");
        QTest::addColumn<QString>("labels");
        QTest::newRow("mse") << QStringLiteral("mse") << QStringLiteral("hard");
        QTest::newRow("platt") << QStringLiteral("platt") << QStringLiteral("hard"); // the learned scale and its moments too
        QTest::newRow("learned labels") << QStringLiteral("platt") << QStringLiteral("learned"); // and the label logits' Adam
    }

    void resumedRunEqualsUninterruptedRun()
    {
        QFETCH(QString, loss);
        QFETCH(QString, labels);
        // Stopped in the middle of a block of iterations that share their random networks (every 4): the resumed
        // run must draw the same networks and batches and keep Adam's moments.
        RunConfig c = config(7);
        c.params.set("redrawEvery", std::int64_t(4));
        c.params.set("loss", loss.toStdString());
        c.params.set("labels", labels.toStdString());
        Session whole(c);
        RunControl wholeControl;
        whole.run(wholeControl);

        Session first(c);
        const RunResult stopped = fixtures::runStoppingAfter(first, 3);
        QCOMPARE(stopped.iterations, 3);
        Session resumed(loadRunFolderConfig(stopped.runDir), stopped.runDir);
        RunControl control;
        resumed.run(control);
        QCOMPARE(resumed.synthetic().images.data, whole.synthetic().images.data);
        QCOMPARE(resumed.synthetic().softLabels, whole.synthetic().softLabels);
        QCOMPARE(whole.synthetic().softLabels.empty(), labels == QLatin1String("hard"));
    }

    // RFAD's label learning: the labels move with the pixels and leave as probabilities.
    void learnedLabelsChangeAndExportAsProbabilities()
    {
        RunConfig c = config(20);
        c.params.set("labels", std::string("learned"));
        c.params.set("lrLabel", 0.1);
        Session session(c);
        RunControl control;
        const SyntheticSet set = loadSyntheticSet(session.run(control).runDir);
        QVERIFY(set.hasSoftLabels());
        double largestChange = 0;
        for (int i = 0; i < set.images.count; ++i) {
            double sum = 0;
            for (int k = 0; k < 3; ++k) {
                const double p = set.softLabels[static_cast<std::size_t>(i * 3 + k)];
                sum += p;
                largestChange = std::max(largestChange, std::abs(p - (k == set.labels[static_cast<std::size_t>(i)] ? 0.9 : 0.05)));
            }
            QVERIFY(std::abs(sum - 1.0) < 1e-5);
        }
        QVERIFY2(largestChange > 1e-3, qPrintable(QString::number(largestChange)));
    }

    // Issue 14 item 3: evaluated two ways, each named: the kernel's own regression on the test set and the standard
    // protocol (fresh networks trained on the set).
    void evaluatedByItsKernelAndByTheProtocol()
    {
        RunConfig c = config(10);
        c.finalEval = true;
        c.eval.models = 2;
        Session session(c);
        RunControl control;
        const RunResult r = session.run(control);
        QCOMPARE(r.evaluations.size(), std::size_t(3));
        const EvalResult& kernel = r.evaluations[0];
        QCOMPARE(kernel.subject, std::string("synthetic, kernel regression"));
        QCOMPARE(kernel.accuracies.size(), std::size_t(2));
        QCOMPARE(kernel.epochs, 0);
        QCOMPARE(kernel.testImages, 30);
        QVERIFY2(kernel.model.find("2 untrained networks") != std::string::npos, kernel.model.c_str());
        QVERIFY2(kernel.summary().find("no training)") != std::string::npos, kernel.summary().c_str());
        // The toy classes are separable: six images answer for them far above chance (1/3).
        QVERIFY2(kernel.mean > 0.8, qPrintable(QString::number(kernel.mean)));
        // Its yardstick: the same regression from 2 random real images per class.
        const EvalResult& baseline = r.evaluations[1];
        QCOMPARE(baseline.subject, std::string("random real, kernel regression"));
        QCOMPARE(baseline.trainImages, 6);
        QVERIFY(baseline.mean > 1.0 / 3.0);
        QCOMPARE(r.evaluations[2].subject, std::string("synthetic"));
        QVERIFY(r.evaluations[2].epochs > 0);
        // All are in the run folder, as the window shows them again.
        QCOMPARE(loadRunHistory(r.runDir).evaluations.size(), std::size_t(3));
    }

    void settingsOutOfRangeNameThemselves()
    {
        RunConfig c = config(2);
        c.params.set("randomModels", std::int64_t(0));
        const QString message = fixtures::errorMessage([&] { Session s(c); });
        QVERIFY2(message.contains(QLatin1String("randomModels")), qPrintable(message));
    }
};

QTEST_GUILESS_MAIN(TestRfad)
#include "tst_rfad.moc"

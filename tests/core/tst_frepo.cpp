// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// Neural feature regression with a model pool (issue 14): learning, learned labels, resume with the pool, both
// evaluations, a singular kernel.
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

class TestFrepo : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::string m_data;

    RunConfig config(int iterations)
    {
        RunConfig c = fixtures::tinyRun(m_data, "frepo", 2, iterations);
        c.outDir = m_dir.filePath(QStringLiteral("runs")).toStdString();
        c.finalEval = false;
        c.params.set("realBatch", std::int64_t(8));
        c.seed = 5;
        return c;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_data = fixtures::writeToyIdxDataset(m_dir.filePath(QStringLiteral("data")), 3, 24, 10).toStdString();
    }

    void frepoLowersItsLossWithPerClassTerms()
    {
        RunConfig c = config(40);
        c.params.set("labels", std::string("hard"));
        c.params.set("poolSize", std::int64_t(1));
        c.params.set("poolSteps", std::int64_t(1000)); // one network that keeps learning: no restarts in the curve
        c.params.set("init", std::string("noise")); // from real images the toy classes are answered almost at once
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
        QVERIFY(!set.hasSoftLabels()); // hard labels asked for: none learned
        QCOMPARE(set.metadata.at("method"), std::string("frepo"));
    }

    void learnedLabelsChangeAndExportAsProbabilities()
    {
        RunConfig c = config(30);
        c.params.set("lrLabel", 0.1);
        Session session(c);
        RunControl control;
        const RunResult r = session.run(control);
        const SyntheticSet set = loadSyntheticSet(r.runDir);
        QVERIFY(set.hasSoftLabels());
        QCOMPARE(set.numClasses, 3);
        double largestChange = 0;
        for (int i = 0; i < set.images.count; ++i) {
            double sum = 0;
            for (int k = 0; k < 3; ++k) {
                const double p = set.softLabels[static_cast<std::size_t>(i * 3 + k)];
                QVERIFY(p >= 0 && p <= 1);
                sum += p;
                // They start at 0.9 for the image's class and 0.05 for each other one (learnedlabels.h).
                const double start = k == set.labels[static_cast<std::size_t>(i)] ? 0.9 : 0.05;
                largestChange = std::max(largestChange, std::abs(p - start));
            }
            QVERIFY2(std::abs(sum - 1.0) < 1e-5, qPrintable(QString::number(sum)));
        }
        QVERIFY2(largestChange > 1e-3, qPrintable(QString::number(largestChange)));
    }

    void resumedRunEqualsUninterruptedRun()
    {
        // Two pool networks restarted after 2 online steps: the stop at 3 falls between restarts, so the resumed run
        // must bring back every network's weights, Adam moments and age, and the labels' own optimizer.
        RunConfig c = config(8);
        c.params.set("poolSize", std::int64_t(2));
        c.params.set("poolSteps", std::int64_t(2));
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
    }

    // Issue 14 item 3: the kernel's own regression (on the pool's features) and the standard protocol, each named.
    void evaluatedByItsKernelAndByTheProtocol()
    {
        RunConfig c = config(10);
        c.finalEval = true;
        c.eval.models = 2;
        c.params.set("poolSize", std::int64_t(3));
        Session session(c);
        RunControl control;
        const RunResult r = session.run(control);
        // Learned labels: the protocol with the hard labels, the kernel and its yardstick, then the protocol.
        QCOMPARE(r.evaluations.size(), std::size_t(4));
        QCOMPARE(r.evaluations[0].subject, std::string("synthetic, hard labels"));
        const EvalResult& kernel = r.evaluations[1];
        QCOMPARE(kernel.subject, std::string("synthetic, kernel regression"));
        QCOMPARE(kernel.accuracies.size(), std::size_t(2)); // two of the three pool networks, one readout each
        QCOMPARE(kernel.epochs, 0);
        QCOMPARE(kernel.labels, std::string("soft"));
        QVERIFY2(kernel.model.find("own 3 trained networks") != std::string::npos, kernel.model.c_str());
        QVERIFY2(kernel.mean > 0.6, qPrintable(QString::number(kernel.mean))); // separable toy classes, chance 1/3
        QCOMPARE(r.evaluations[2].subject, std::string("random real, kernel regression"));
        QCOMPARE(r.evaluations[2].trainImages, 6);
        QCOMPARE(r.evaluations[3].subject, std::string("synthetic"));
        QVERIFY(r.evaluations[3].epochs > 0);
    }

    void singularKernelRaisesTheRidge()
    {
        const KernelRidgeCheck check = checkKernelRidge(12, 30, 64, 3, 1e-6, 2);
        QVERIFY2(check.inverseError < 1e-6, qPrintable(QString::number(check.inverseError)));
        QVERIFY2(check.singularUsedRidge > 0, qPrintable(QString::number(check.singularUsedRidge)));
        QVERIFY(check.singularUsedRidge <= 1.0);
        QVERIFY(check.singularFinite);
        QVERIFY2(check.singularMessage.find("singular") != std::string::npos, check.singularMessage.c_str());
    }

    void settingsOutOfRangeNameThemselves()
    {
        RunConfig c = config(2);
        c.params.set("poolSize", std::int64_t(0));
        const QString message = fixtures::errorMessage([&] { Session s(c); });
        QVERIFY2(message.contains(QLatin1String("poolSize")), qPrintable(message));
    }
};

QTEST_GUILESS_MAIN(TestFrepo)
#include "tst_frepo.moc"

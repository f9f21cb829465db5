// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// DM, DC and DSA on tiny seeded data: they lower their own loss, beat a noise set, are deterministic, and their
// building blocks match hand-computed values.
#include "fixtures.h"

#include <distillery/diagnostics.h>
#include <distillery/error.h>
#include <distillery/evaluation.h>
#include <distillery/runcontrol.h>
#include <distillery/session.h>
#include <distillery/syntheticio.h>

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <numeric>
#include <random>

using namespace distillery::core;

class TestMatching : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::string m_source;

    RunConfig config(const std::string& method, int iterations)
    {
        RunConfig c;
        applyPreset(c, "classroom");
        c.method = method;
        c.ipc = 2;
        c.iterations = iterations;
        c.device = "cpu";
        c.data.source = m_source;
        c.model.width = 8;
        c.model.depth = 2;
        c.params.set("init", std::string("noise"));
        c.params.set("realBatch", std::int64_t(8));
        c.outDir = "";
        c.finalEval = false;
        c.eval.models = 2;
        c.eval.epochs = 60;
        c.eval.augment = "none";
        c.eval.lr = 0.05;
        return c;
    }

    struct Outcome
    {
        std::vector<double> losses;
        SyntheticSet set;
        RunResult result;
    };

    Outcome run(const RunConfig& c)
    {
        Outcome o;
        Session session(c);
        RunControl control;
        SessionCallbacks callbacks;
        callbacks.onStep = [&](const StepStats& s) { o.losses.push_back(s.loss); };
        o.result = session.run(control, callbacks);
        o.set = session.synthetic();
        return o;
    }

    static double meanOf(const std::vector<double>& v, std::size_t from, std::size_t to)
    {
        return std::accumulate(v.begin() + static_cast<std::ptrdiff_t>(from), v.begin() + static_cast<std::ptrdiff_t>(to), 0.0)
            / static_cast<double>(to - from);
    }

private Q_SLOTS:
    void initTestCase() { m_source = fixtures::writeToyIdxDataset(m_dir.filePath(QStringLiteral("toy"))).toStdString(); }

    void layerwiseDistanceByHand()
    {
        // Linear 2×2: row 0 identical (distance ≈ 0), row 1 at 45° (1 − 1/√2). The biases differ wildly but
        // 1-D tensors are ignored. A conv 2×1×1×2 reshapes to rows of 2: opposite rows give 2 each.
        const std::vector<PlainTensor> synthetic
            = {{{2, 2}, {1, 0, 0, 1}}, {{2}, {100, -3}}, {{2, 1, 1, 2}, {1, 2, 3, 4}}};
        const std::vector<PlainTensor> real = {{{2, 2}, {1, 0, 1, 1}}, {{2}, {-7, 5}}, {{2, 1, 1, 2}, {-1, -2, -3, -4}}};
        const double linear = (1 - 1 / (1 + 1e-6)) + (1 - 1 / (std::sqrt(2.0) + 1e-6));
        const double conv = (1 + 5.0 / (5 + 1e-6)) + (1 + 25.0 / (25 + 1e-6)); // ⟨r, −r⟩ = −‖r‖²
        const double expected = linear + conv;
        QVERIFY(std::abs(gradientMatchingDistance(synthetic, real) - expected) < 1e-9);
        // Only 1-D tensors: nothing to compare.
        QVERIFY_THROWS_EXCEPTION(Error, gradientMatchingDistance({{{2}, {1, 2}}}, {{{2}, {3, 4}}}));
        // The alternatives work on the concatenation of every tensor.
        const double mse = gradientMatchingDistance({{{2}, {1, 2}}}, {{{2}, {3, 5}}}, "mse");
        QVERIFY(std::abs(mse - (4 + 9)) < 1e-9);
        const double cos = gradientMatchingDistance({{{2}, {1, 0}}}, {{{2}, {0, 2}}}, "cos");
        QVERIFY(std::abs(cos - 1) < 1e-9);
    }

    void dmBatchedLossEqualsPerClassLoop()
    {
        RunConfig c = config("dm", 1);
        c.params.unset("augment"); // auto: the data set's DSA strategy, Siamese draws per class
        c.ipc = 3;
        for (std::uint64_t seed : {1u, 2u, 3u}) {
            c.seed = seed;
            const DmLossCheck check = checkDmBatchedLoss(c);
            QVERIFY(check.batched > 0);
            QVERIFY2(std::abs(check.batched - check.perClass) <= 1e-5 * check.batched,
                qPrintable(QStringLiteral("%1 vs %2").arg(check.batched).arg(check.perClass)));
            QCOMPARE(check.batchedTerms.size(), std::size_t(3));
            for (std::size_t k = 0; k < 3; ++k)
                QVERIFY(std::abs(check.batchedTerms[k] - check.perClassTerms[k]) <= 1e-5 * check.batched);
        }
    }

    void classParallelGradientsEqualTheLoop_data()
    {
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("norm");
        QTest::newRow("dc, instance norm") << QStringLiteral("dc") << QStringLiteral("instance");
        QTest::newRow("dsa, instance norm") << QStringLiteral("dsa") << QStringLiteral("instance");
        QTest::newRow("dc, no norm") << QStringLiteral("dc") << QStringLiteral("none");
    }

    void classParallelGradientsEqualTheLoop()
    {
        QFETCH(QString, method);
        QFETCH(QString, norm);
        RunConfig c = config(method.toStdString(), 1);
        c.model.norm = norm.toStdString();
        if (method == QLatin1String("dsa"))
            c.params.unset("augment");
        else
            c.params.set("augment", std::string("none"));
        for (std::uint64_t seed : {1u, 2u}) {
            c.seed = seed;
            const GradientMatchCheck check = checkGradientMatchingBatched(c);
            QCOMPARE(check.classParallel.size(), std::size_t(3));
            for (std::size_t k = 0; k < 3; ++k)
                QVERIFY2(std::abs(check.classParallel[k] - check.perClass[k]) <= 1e-4 * std::max(1.0, check.perClass[k]),
                    qPrintable(QStringLiteral("class %1: %2 vs %3").arg(k).arg(check.classParallel[k]).arg(check.perClass[k])));
        }
        RunConfig batch = c;
        batch.model.norm = "batch";
        QVERIFY_THROWS_EXCEPTION(Error, checkGradientMatchingBatched(batch));
    }

    // nn/pieces: the CPU runs passes over many real images in pieces sized to a memory budget. A piece's result must
    // be the one-batch result, and the budget must decide the piece size (a small budget gives several pieces).
    void piecesEqualOneBatch_data()
    {
        QTest::addColumn<QString>("arch");
        QTest::addColumn<QString>("norm");
        QTest::newRow("convnet, instance norm") << QStringLiteral("convnet") << QStringLiteral("instance");
        QTest::newRow("convnet, batch norm") << QStringLiteral("convnet") << QStringLiteral("batch");
        QTest::newRow("lenet") << QStringLiteral("lenet") << QStringLiteral("instance");
        QTest::newRow("mlp") << QStringLiteral("mlp") << QStringLiteral("instance");
    }

    void piecesEqualOneBatch()
    {
        QFETCH(QString, arch);
        QFETCH(QString, norm);
        ModelConfig model;
        model.arch = arch.toStdString();
        model.width = 8;
        model.depth = 2;
        model.norm = norm.toStdString();
        const int size = 28; // the ConvNet pads 28×28 to 32×32: its largest activation is width × 32 × 32 floats
        const std::int64_t expectedBytes = arch == QLatin1String("convnet") ? 8 * 32 * 32 * 4
            : arch == QLatin1String("lenet")                               ? 6 * 28 * 28 * 4
                                                                            : 28 * 28 * 4;
        const std::int64_t budget = 5 * expectedBytes + expectedBytes / 2; // room for 5 images, not 6
        if (norm == QLatin1String("batch")) {
            // Batch norm in train mode mixes the images of a batch, so pieces differ: the methods only use pieces
            // where it is frozen (DC/DSA) or absent. Pieces must not hide that: the check shows the difference.
            const PiecesCheck mixed = checkPieces(model, 1, size, 4, 13, budget, 3);
            QVERIFY2(mixed.embeddingError > 1e-3, qPrintable(QString::number(mixed.embeddingError)));
            return;
        }
        const PiecesCheck check = checkPieces(model, 1, size, 4, 13, budget, 3);
        QCOMPARE(check.largestActivationBytes, expectedBytes);
        QCOMPARE(check.rowsPerPiece, std::int64_t(5));
        QCOMPARE(check.embeddingPieces, 3); // 5 + 5 + 3
        QCOMPARE(check.gradientPieces, 3);
        QVERIFY2(check.embeddingError <= 1e-5, qPrintable(QString::number(check.embeddingError)));
        QVERIFY2(check.gradientError <= 1e-4, qPrintable(QString::number(check.gradientError)));

        const PiecesCheck roomy = checkPieces(model, 1, size, 4, 13, 100 * expectedBytes, 3);
        QCOMPARE(roomy.embeddingPieces, 1); // everything fits: one call, the one-batch path itself
        QCOMPARE(roomy.gradientPieces, 1);
        QCOMPARE(checkPieces(model, 1, size, 4, 3, 1, 3).rowsPerPiece, std::int64_t(1)); // never below one image
    }

    // The methods' own passes in pieces: DM's real embeddings and DC/DSA's real gradients give the loss of one batch.
    void methodsInPiecesEqualOneBatch_data()
    {
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("norm");
        QTest::newRow("dm") << QStringLiteral("dm") << QStringLiteral("instance");
        // Batch norm in train mode: pieces would change its batch statistics, so DM must not cut the batch.
        QTest::newRow("dm, batch norm") << QStringLiteral("dm") << QStringLiteral("batch");
        QTest::newRow("dc") << QStringLiteral("dc") << QStringLiteral("instance");
        QTest::newRow("dsa") << QStringLiteral("dsa") << QStringLiteral("instance");
    }

    void methodsInPiecesEqualOneBatch()
    {
        QFETCH(QString, method);
        QFETCH(QString, norm);
        RunConfig whole = config(method.toStdString(), 1);
        whole.model.norm = norm.toStdString();
        whole.params.unset("augment"); // the data set's strategy (DC: none, DM/DSA: DSA)
        if (method == QLatin1String("dc"))
            whole.params.set("augment", std::string("none"));
        whole.model.width = 256; // 16×16 toy images: 256 kB per image at the first layer, so 1 MiB holds 4
        whole.ipc = 3;
        whole.seed = 5;
        whole.performance.cpuPieceMiB = 0;
        RunConfig pieces = whole;
        pieces.performance.cpuPieceMiB = 1; // real batch 8 per class: pieces of 4
        std::vector<double> a, b;
        if (method == QLatin1String("dm")) {
            a = checkDmBatchedLoss(whole).batchedTerms;
            b = checkDmBatchedLoss(pieces).batchedTerms;
        } else {
            a = checkGradientMatchingBatched(whole).perClass;
            b = checkGradientMatchingBatched(pieces).perClass;
        }
        QCOMPARE(a.size(), b.size());
        for (std::size_t k = 0; k < a.size(); ++k)
            QVERIFY2(std::abs(a[k] - b[k]) <= 1e-4 * std::max(1e-3, std::abs(a[k])),
                qPrintable(QStringLiteral("class %1: one batch %2, pieces %3").arg(k).arg(a[k]).arg(b[k])));
    }

    // performance.bf16: the real-image passes (DM's embeddings, DC/DSA's gradients) run in bfloat16, so the loss
    // moves by bf16 rounding — not at all would mean the switch does nothing — and the batched and per-class
    // forms still agree with each other.
    void bf16RealPassesStayCloseToFp32_data()
    {
        QTest::addColumn<QString>("method");
        QTest::newRow("dm") << QStringLiteral("dm");
        QTest::newRow("dc") << QStringLiteral("dc");
        QTest::newRow("dsa") << QStringLiteral("dsa");
    }

    void bf16RealPassesStayCloseToFp32()
    {
        QFETCH(QString, method);
        RunConfig fp32 = config(method.toStdString(), 1);
        if (method == QLatin1String("dc")) // DM and DSA: auto, the data set's strategy
            fp32.params.set("augment", std::string("none"));
        fp32.ipc = 3;
        fp32.seed = 4;
        RunConfig bf16 = fp32;
        bf16.performance.bf16 = true;
        std::vector<double> full, low, lowOtherWay;
        if (method == QLatin1String("dm")) {
            const DmLossCheck a = checkDmBatchedLoss(fp32), b = checkDmBatchedLoss(bf16);
            full = a.batchedTerms;
            low = b.batchedTerms;
            lowOtherWay = b.perClassTerms;
        } else {
            const GradientMatchCheck a = checkGradientMatchingBatched(fp32), b = checkGradientMatchingBatched(bf16);
            full = a.classParallel;
            low = b.classParallel;
            lowOtherWay = b.perClass;
        }
        QCOMPARE(low.size(), full.size());
        double largest = 0;
        for (std::size_t k = 0; k < full.size(); ++k) {
            const double relative = std::abs(low[k] - full[k]) / std::max(1e-3, std::abs(full[k]));
            largest = std::max(largest, relative);
            QVERIFY2(relative <= 0.05, qPrintable(QStringLiteral("class %1: bf16 %2 vs fp32 %3").arg(k).arg(low[k]).arg(full[k])));
            QVERIFY2(std::abs(low[k] - lowOtherWay[k]) <= 0.02 * std::max(1e-3, std::abs(low[k])),
                qPrintable(QStringLiteral("class %1: batched %2 vs per class %3").arg(k).arg(low[k]).arg(lowOtherWay[k])));
        }
        QVERIFY2(largest > 1e-6, "the bf16 switch changed nothing");
    }

    void eachMethodLowersItsLoss_data()
    {
        QTest::addColumn<QString>("method");
        QTest::addColumn<int>("iterations");
        QTest::addColumn<bool>("bf16");
        QTest::newRow("dm") << QStringLiteral("dm") << 60 << false;
        QTest::newRow("dc") << QStringLiteral("dc") << 40 << false;
        QTest::newRow("dsa") << QStringLiteral("dsa") << 40 << false;
        QTest::newRow("dm, bf16 real passes") << QStringLiteral("dm") << 60 << true;
        QTest::newRow("dsa, bf16 real passes") << QStringLiteral("dsa") << 40 << true;
    }

    void eachMethodLowersItsLoss()
    {
        QFETCH(QString, method);
        QFETCH(int, iterations);
        QFETCH(bool, bf16);
        RunConfig c = config(method.toStdString(), iterations);
        c.performance.bf16 = bf16;
        if (method == QLatin1String("dm"))
            c.params.set("lrImage", 1.0);
        const Outcome o = run(c);
        QCOMPARE(o.losses.size(), std::size_t(iterations));
        const double first = meanOf(o.losses, 0, 5), last = meanOf(o.losses, o.losses.size() - 5, o.losses.size());
        QVERIFY2(last < 0.8 * first, qPrintable(QStringLiteral("%1: first %2, last %3").arg(method).arg(first).arg(last)));
        for (double l : o.losses)
            QVERIFY(std::isfinite(l));
    }

    void distilledSetBeatsNoise()
    {
        const Outcome dm = run(config("dm", 60));
        // The same number of N(0, 1) images with the same labels: what the method started from.
        SyntheticSet noise = dm.set;
        std::mt19937 rng(5);
        std::normal_distribution<float> normal;
        for (auto& v : noise.images.data)
            v = normal(rng);
        EvalRequest request;
        request.data.source = m_source;
        request.device = "cpu";
        request.model = config("dm", 1).model;
        request.eval = config("dm", 1).eval;
        const EvalResult distilled = evaluateSyntheticSet(dm.set, request);
        const EvalResult baseline = evaluateSyntheticSet(noise, request);
        QVERIFY2(distilled.mean > baseline.mean + 0.25 && distilled.mean > 0.8,
            qPrintable(QStringLiteral("DM %1 vs noise %2").arg(distilled.mean).arg(baseline.mean)));
    }

    void sameSeedSameImages_data()
    {
        QTest::addColumn<QString>("method");
        QTest::newRow("dm") << QStringLiteral("dm");
        QTest::newRow("dsa") << QStringLiteral("dsa");
    }

    void sameSeedSameImages()
    {
        QFETCH(QString, method);
        RunConfig c = config(method.toStdString(), 5);
        c.seed = 9;
        const SyntheticSet a = run(c).set;
        QCOMPARE(run(c).set.images.data, a.images.data);
        c.seed = 10;
        QVERIFY(run(c).set.images.data != a.images.data);
    }

    // A rate far too large: the losses may stay finite while the pixels run away; either way the run stops with a
    // message and keeps the last good set.
    void divergenceStopsWithTheLastGoodSet()
    {
        RunConfig c = config("dm", 30);
        c.params.set("lrImage", 1e4); // the largest rate allowed: the images explode within a few steps
        c.snapshotEvery = 1;
        c.outDir = m_dir.filePath(QStringLiteral("nan")).toStdString();
        try {
            run(c);
            QFAIL("no error");
        } catch (const Error& e) {
            const QString message = QString::fromStdString(e.what());
            QVERIFY2(message.contains(QLatin1String("diverged")) || message.contains(QLatin1String("NaN or infinite")),
                qPrintable(message));
            QVERIFY2(message.contains(QLatin1String("params.lrImage")) || message.contains(QLatin1String("NaN")),
                qPrintable(message));
            QVERIFY2(message.contains(QLatin1String("last good synthetic set")), qPrintable(message));
        }
        const QStringList runs = QDir(m_dir.filePath(QStringLiteral("nan"))).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        QCOMPARE(runs.size(), 1);
        const SyntheticSet kept = loadSyntheticSet(m_dir.filePath(QStringLiteral("nan/") + runs[0]).toStdString());
        for (float v : kept.images.data)
            QVERIFY(std::isfinite(v) && std::abs(v) < 1000);
    }

    void dsaWithoutAugmentationIsRefused()
    {
        RunConfig c = config("dsa", 1);
        c.params.set("augment", std::string("none"));
        QVERIFY_THROWS_EXCEPTION(Error, run(c));
    }
};

QTEST_APPLESS_MAIN(TestMatching)
#include "tst_matching.moc"

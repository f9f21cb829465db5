// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "fixtures.h"

#include <distillery/error.h>
#include <distillery/evaluation.h>
#include <distillery/runcontrol.h>
#include <distillery/scores.h>

#include <QTemporaryDir>
#include <QTest>

using namespace distillery::core;

class TestProtocol : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    fixtures::ToyImages m_train = fixtures::makeToyImages(3, 24, 16, 1, 1);
    EvalRequest m_request;

    /// A synthetic set made of the first `perClass` toy training images of each class.
    SyntheticSet toySet(int perClass)
    {
        SyntheticSet s;
        s.numClasses = 3;
        s.classNames = {"0", "1", "2"};
        s.mean = {0.2f};
        s.std = {0.3f};
        s.images = {3 * perClass, 1, 16, 16, {}};
        for (int c = 0; c < 3; ++c)
            for (int k = 0; k < perClass; ++k) {
                const int i = k * 3 + c; // labels cycle 0, 1, 2
                for (int p = 0; p < 256; ++p)
                    s.images.data.push_back((m_train.image(i)[p] / 255.0f - 0.2f) / 0.3f);
                s.labels.push_back(c);
            }
        return s;
    }

private Q_SLOTS:
    // DD-Ranking's scores against values worked out by hand (Python's math.exp), with accuracies as fractions.
    void ddRankingScoresByHand()
    {
        using distillery::core::ScoreInputs;
        ScoreInputs in;
        in.synthetic = 0.80;
        in.syntheticHard = 0.75;
        in.fullData = 0.935;
        in.random = 0.70;
        in.syntheticAugmented = 0.82;
        in.randomAugmented = 0.74;
        in.syntheticPlain = 0.78;
        in.randomPlain = 0.72;
        const auto s = distillery::core::ddRankingScores(in);
        QVERIFY(std::abs(s.ior - 0.10) < 1e-12);
        QVERIFY(std::abs(s.hlr - 0.185) < 1e-12);
        QVERIFY(std::abs(s.alpha - -0.0425) < 1e-12);
        QVERIFY(std::abs(s.lrs - 0.25123826777208247) < 1e-12);
        QVERIFY(std::abs(s.beta - 0.07) < 1e-12);
        QVERIFY(std::abs(s.ars - 0.29979068430743283) < 1e-12);
        // The ends of the scale: α = 1 gives 1, α = −1 gives 0, and α = 0 gives 0.269, not 0.5.
        ScoreInputs best = in;
        best.synthetic = 1;
        best.random = 0;
        best.syntheticHard = 1;
        best.fullData = 1;
        QVERIFY(std::abs(distillery::core::ddRankingScores(best, 1.0).lrs - 1.0) < 1e-12);
        QVERIFY(std::abs(distillery::core::ddRankingScores(in, 0.0).lrs - 0.19708320804390062) < 1e-12); // α = −HLR
        // The reference feeds percent into the exponentials; here a percent is refused by name.
        ScoreInputs percent = in;
        percent.random = 70;
        const QString error = fixtures::errorMessage([&] { distillery::core::ddRankingScores(percent); });
        QVERIFY2(error.contains(QLatin1String("random")) && error.contains(QLatin1String("percent")), qPrintable(error));
        QVERIFY(!fixtures::errorMessage([&] { distillery::core::ddRankingScores(in, 1.5); }).isEmpty());
    }

    void initTestCase()
    {
        const QString dir = m_dir.filePath(QStringLiteral("toy"));
        m_request.data.source
            = fixtures::writeIdx(dir, m_train, fixtures::makeToyImages(3, 10, 16, 1, 2)).toStdString();
        m_request.device = "cpu";
        m_request.model.width = 8;
        m_request.model.depth = 2;
        m_request.eval.models = 2;
        m_request.eval.epochs = 40;
        m_request.eval.augment = "none";
        m_request.eval.lr = 0.05;
        m_request.threads = 2;
    }

    void learnsTinySeparableSet()
    {
        std::vector<EvalProgress> progress;
        const EvalResult r = evaluateSyntheticSet(toySet(2), m_request, [&](const EvalProgress& p) { progress.push_back(p); });
        QCOMPARE(r.accuracies.size(), std::size_t(2));
        QVERIFY2(r.mean > 0.9, qPrintable(QString::fromStdString(r.summary())));
        double mean = (r.accuracies[0] + r.accuracies[1]) / 2;
        QVERIFY(std::abs(r.mean - mean) < 1e-12);
        QVERIFY(std::abs(r.std - std::abs(r.accuracies[0] - r.accuracies[1]) / 2) < 1e-12); // population std
        QCOMPARE(r.trainImages, 6);
        QCOMPARE(r.testImages, 30);
        QCOMPARE(r.epochs, 40);
        // E + 1 passes per model, reported in order.
        QCOMPARE(progress.size(), std::size_t(2 * 41));
        QCOMPARE(progress.back().epoch, 41);
        QCOMPARE(progress.back().model, 1);
    }

    void seededAndRepeatable()
    {
        EvalRequest request = m_request;
        request.eval.epochs = 5;
        request.eval.augment = "dsa";
        const EvalResult a = evaluateSyntheticSet(toySet(1), request);
        const EvalResult b = evaluateSyntheticSet(toySet(1), request);
        QCOMPARE(a.accuracies, b.accuracies);
    }

    void labelsCarryTheSignal()
    {
        // The same images with shuffled labels cannot teach the classes: accuracy drops to chance.
        SyntheticSet wrong = toySet(2);
        for (auto& l : wrong.labels)
            l = (l + 1) % 3;
        const EvalResult r = evaluateSyntheticSet(wrong, m_request);
        QVERIFY2(r.mean < 0.2, qPrintable(QString::fromStdString(r.summary())));
    }

    void baselinesUseTheSameProtocol()
    {
        EvalRequest request = m_request;
        request.eval.models = 1;
        const EvalResult random = evaluateRandomSubset(2, request);
        QCOMPARE(random.subject, std::string("random real"));
        QCOMPARE(random.trainImages, 6);
        QVERIFY(random.mean > 0.9);
        request.eval.epochs = 5;
        const EvalResult full = evaluateFullData(request);
        QCOMPARE(full.trainImages, 72);
        QVERIFY(full.mean > 0.9);
        QVERIFY_THROWS_EXCEPTION(Error, evaluateRandomSubset(25, request)); // more than a class holds
    }

    // Issue 12: what a method learned with the set is used, and the protocol line says so.
    void learnedRateAndSoftLabelsAreUsed()
    {
        EvalRequest request = m_request;
        request.eval.models = 1;
        request.eval.epochs = 3;
        const EvalResult plain = evaluateSyntheticSet(toySet(2), request);
        QCOMPARE(plain.labels, std::string("hard"));
        QCOMPARE(plain.learnedLr, 0.0);

        // A learned rate that cannot train (1e-7): the model stays near chance, where the protocol's 0.05 learns.
        SyntheticSet withLr = toySet(2);
        withLr.learnedLr = {1e-7f};
        const EvalResult learned = evaluateSyntheticSet(withLr, request);
        QVERIFY(std::abs(learned.learnedLr - 1e-7) < 1e-12);
        QVERIFY2(QString::fromStdString(learned.summary()).contains(QLatin1String("learned lr 1e-07")),
            qPrintable(QString::fromStdString(learned.summary())));
        QVERIFY(learned.accuracies != plain.accuracies);

        // Soft labels: one-hot rows train like the hard labels (same loss), and are named.
        SyntheticSet soft = toySet(2);
        for (auto label : soft.labels)
            for (int k = 0; k < 3; ++k)
                soft.softLabels.push_back(k == label ? 1.0f : 0.0f);
        const EvalResult softResult = evaluateSyntheticSet(soft, request);
        QCOMPARE(softResult.labels, std::string("soft"));
        QVERIFY(QString::fromStdString(softResult.summary()).contains(QLatin1String("soft labels")));
        QCOMPARE(softResult.accuracies, plain.accuracies);

        // Files hold probabilities: logits (rows not summing to 1) are refused with the image named.
        SyntheticSet logits = soft;
        logits.softLabels[3] = 2.5f; // image 1, class 0
        const QString message = fixtures::errorMessage([&] { evaluateSyntheticSet(logits, request); });
        QVERIFY2(message.contains(QLatin1String("image 1")), qPrintable(message));
        QVERIFY2(message.contains(QLatin1String("not logits")), qPrintable(message));
    }

    void refusesSetOfAnotherDataSet()
    {
        SyntheticSet colour = toySet(1);
        colour.images.channels = 3;
        colour.images.data.resize(colour.images.data.size() * 3, 0.0f);
        colour.mean = {0, 0, 0};
        colour.std = {1, 1, 1};
        try {
            evaluateSyntheticSet(colour, m_request);
            QFAIL("no error");
        } catch (const Error& e) {
            QVERIFY(QString::fromStdString(e.what()).contains(QLatin1String("wrong --dataset")));
        }
    }

    void stopsWhenAsked()
    {
        RunControl control;
        control.requestStop();
        QVERIFY_THROWS_EXCEPTION(Cancelled, evaluateSyntheticSet(toySet(1), m_request, {}, &control));
    }
};

QTEST_APPLESS_MAIN(TestProtocol)
#include "tst_protocol.moc"

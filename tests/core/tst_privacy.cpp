// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "fixtures.h"

#include <distillery/error.h>
#include <distillery/privacy.h>

#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <random>

#ifdef DISTILLERY_TEST_OPENCV
#include <opencv2/quality/qualityssim.hpp>
#endif

using namespace distillery::core;

namespace {

constexpr float kMean = 0.2f;
constexpr float kStd = 0.3f;

/// A set of `perClass` images per class: copies of toy training images, or uniform noise.
SyntheticSet makeSet(const fixtures::ToyImages& train, int perClass, bool copies)
{
    SyntheticSet s;
    s.numClasses = 3;
    s.classNames = {"0", "1", "2"};
    s.mean = {kMean};
    s.std = {kStd};
    s.images = {3 * perClass, 1, 16, 16, {}};
    std::mt19937 rng(3);
    std::uniform_real_distribution<float> noise(0.0f, 1.0f);
    for (int c = 0; c < 3; ++c)
        for (int k = 0; k < perClass; ++k) {
            const int index = k * 3 + c; // toy labels cycle 0, 1, 2
            for (int p = 0; p < 256; ++p) {
                const float pixel = copies ? train.image(index)[p] / 255.0f : noise(rng);
                s.images.data.push_back((pixel - kMean) / kStd);
            }
            s.labels.push_back(c);
            s.initIndices.push_back(copies ? index : -1);
        }
    s.metadata["method"] = copies ? "random" : "noise";
    return s;
}

ImageBatch constantImage(float value, int size = 16)
{
    return {1, 1, size, size, std::vector<float>(static_cast<std::size_t>(size * size), value)};
}

} // namespace

class TestPrivacy : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    fixtures::ToyImages m_train = fixtures::makeToyImages(3, 24, 16, 1, 1);
    PrivacyOptions m_options;

private Q_SLOTS:
    void initTestCase()
    {
        m_options.data.source
            = fixtures::writeIdx(m_dir.filePath(QStringLiteral("toy")), m_train, fixtures::makeToyImages(3, 10, 16, 1, 2))
                  .toStdString();
        m_options.device = "cpu";
        m_options.k = 3;
        m_options.referenceSize = 20;
        m_options.referenceDraws = 2;
        m_options.membershipInference = false;
        m_options.bootstrap = 50;
        m_options.model.width = 8;
        m_options.model.depth = 2;
        m_options.eval.epochs = 10;
        m_options.eval.augment = "none";
    }

    void ssimByHand()
    {
        // Identical images: SSIM 1, PSNR infinite.
        const ImageBatch a = constantImage(0.5f);
        QCOMPARE(structuralSimilarity(a, a).front(), 1.0);
        QVERIFY(std::isinf(peakSignalToNoise(a, a).front()));
        // Two flat images: σ = 0 everywhere, so SSIM = (2 μa μb + C1) / (μa² + μb² + C1) on the 0–255 scale.
        const double ma = 0.2 * 255, mb = 0.6 * 255, c1 = 6.5025;
        const double expected = (2 * ma * mb + c1) / (ma * ma + mb * mb + c1);
        QVERIFY(std::abs(structuralSimilarity(constantImage(0.2f), constantImage(0.6f)).front() - expected) < 1e-9);
        // PSNR of a uniform difference of 0.4·255: 10 log10(255² / (0.4·255)²) = 20 log10(2.5).
        QVERIFY(std::abs(peakSignalToNoise(constantImage(0.2f), constantImage(0.6f)).front() - 20 * std::log10(2.5)) < 1e-6);
        // Values outside [0, 1] are clamped before the 8-bit scale (docs/privacy.md §2).
        QCOMPARE(structuralSimilarity(constantImage(1.7f), constantImage(1.0f)).front(), 1.0);
    }

#ifdef DISTILLERY_TEST_OPENCV
    void ssimMatchesOpenCv()
    {
        std::mt19937 rng(11);
        std::uniform_real_distribution<float> u(0, 1);
        ImageBatch a{1, 1, 28, 28, {}}, b{1, 1, 28, 28, {}};
        cv::Mat ma(28, 28, CV_64F), mb(28, 28, CV_64F);
        for (int i = 0; i < 28 * 28; ++i) {
            a.data.push_back(u(rng));
            b.data.push_back(std::clamp(a.data.back() + 0.3f * (u(rng) - 0.5f), 0.0f, 1.0f));
            ma.at<double>(i / 28, i % 28) = a.data.back() * 255.0;
            mb.at<double>(i / 28, i % 28) = b.data.back() * 255.0;
        }
        const double opencv = cv::quality::QualitySSIM::compute(ma, mb, cv::noArray())[0];
        QVERIFY2(std::abs(structuralSimilarity(a, b).front() - opencv) < 1e-4,
            qPrintable(QStringLiteral("%1 vs OpenCV %2").arg(structuralSimilarity(a, b).front()).arg(opencv)));
    }
#endif

    void attackStatisticsOnKnownScores()
    {
        // Random scores for both groups: AUC ≈ 0.5.
        std::mt19937 rng(7);
        std::normal_distribution<double> normal;
        std::vector<double> members, nonMembers;
        for (int i = 0; i < 5000; ++i) {
            members.push_back(normal(rng));
            nonMembers.push_back(normal(rng));
        }
        const AttackStatistics random = attackStatistics(members, nonMembers);
        QVERIFY2(std::abs(random.auc - 0.5) < 0.02, qPrintable(QString::number(random.auc)));
        QVERIFY(random.tprAt1 < 0.03);
        // Perfectly separated: AUC 1, every member found at 1 % and 0.1 % FPR.
        const AttackStatistics perfect = attackStatistics({5, 6, 7}, {1, 2, 3, 4});
        QCOMPARE(perfect.auc, 1.0);
        QCOMPARE(perfect.tprAt1, 1.0);
        QCOMPARE(perfect.advantage, 1.0);
        // All tied: 0.5 by the ½·P(equal) rule; one of two members above a non-member: 0.75.
        QCOMPARE(attackStatistics({1, 1}, {1, 1}).auc, 0.5);
        QCOMPARE(attackStatistics({2, 0}, {1, 1}).auc, 0.5);
        QCOMPARE(attackStatistics({2, 1}, {1, 0}).auc, (1.0 + 0.5 + 1.0 + 1.0) / 4.0);
    }

    void wilsonIntervalKnownValue()
    {
        const Interval i = wilsonInterval(5, 10);
        QCOMPARE(i.value, 0.5);
        QVERIFY(std::abs(i.low - 0.2366) < 1e-3 && std::abs(i.high - 0.7634) < 1e-3);
        QCOMPARE(wilsonInterval(0, 20).low, 0.0);
    }

    void copiesOfRealImagesAreFlagged()
    {
        const PrivacyReport r = inspectPrivacy(makeSet(m_train, 2, true), m_options);
        QCOMPARE(r.images.size(), std::size_t(6));
        for (const auto& p : r.images) {
            QVERIFY(p.exactCopy);
            QCOMPARE(p.level, std::string("high"));
            QVERIFY(p.nearestTraining.front().l2 < 1e-4); // a copy up to float rounding of the normalisation
            QVERIFY(std::abs(p.nearestTraining.front().ssim - 1.0) < 1e-9);
            QVERIFY(p.nearestTraining.front().identical);
            QCOMPARE(p.initRank, 1);
            QVERIFY(p.ownInit);
            QVERIFY(p.nearestHeldOut.l2 > 0); // a held-out image is never identical
        }
        QCOMPARE(r.shareInitRankOne, 1.0);
        QVERIFY(r.realImages);
        QVERIFY(r.nndr.flagged == 6); // a ratio of 0 is below any held-out baseline
    }

    void noiseIsNotFlagged()
    {
        const PrivacyReport r = inspectPrivacy(makeSet(m_train, 2, false), m_options);
        for (const auto& p : r.images) {
            QVERIFY(!p.exactCopy);
            QCOMPARE(p.level, std::string("low"));
            QVERIFY(p.nearestTraining.front().ssim < 0.5);
            QVERIFY(p.nearestTraining.front().l2 > 1.0);
            QCOMPARE(p.initIndex, std::int64_t(-1));
        }
        QCOMPARE(r.shareInitRankOne, 0.0);
    }

    // Data selection (issue 14 item 4): only the images the method could draw from are members; a dropped image is
    // never reported as a set's nearest training image, and the attack's member pool is drawn from the kept ones.
    void droppedImagesAreNotMembers()
    {
        PrivacyOptions options = m_options;
        for (std::int64_t i = 0; i < 72; i += 3)
            options.members.push_back(i); // "kept": every third training image
        options.membershipInference = true;
        options.membershipSeeds = 1;
        options.membershipPool = 50;
        // Copies of training images 0, 3, 1, 4, 2, 5: 1, 4, 2 and 5 were dropped, so they are copies of non-members.
        const PrivacyReport r = inspectPrivacy(makeSet(m_train, 2, true), options);
        QCOMPARE(r.memberImages, std::int64_t(24));
        QCOMPARE(r.trainImages, std::int64_t(72));
        QVERIFY2(r.summary.find("Members are the 24 of 72") != std::string::npos, r.summary.c_str());
        int copies = 0;
        for (const auto& p : r.images) {
            for (const auto& match : p.nearestTraining)
                QVERIFY2(match.index % 3 == 0, qPrintable(QString::number(match.index)));
            QCOMPARE(p.exactCopy, p.initIndex % 3 == 0); // a copy of a dropped image matches no member exactly
            copies += p.exactCopy;
        }
        QCOMPARE(copies, 2);
        QCOMPARE(r.membership.front().pool, std::string("all members"));
        QCOMPARE(r.membership.front().members, 24); // the pool holds at most the members (the test split has 30)
        // Without the selection every image is a member, and all six are copies.
        options.members.clear();
        options.membershipInference = false;
        const PrivacyReport all = inspectPrivacy(makeSet(m_train, 2, true), options);
        QCOMPARE(all.memberImages, std::int64_t(72));
        QCOMPARE(static_cast<int>(std::count_if(all.images.begin(), all.images.end(), [](const ImagePrivacy& p) { return p.exactCopy; })), 6);
    }

    void membershipInferenceRunsWithItsBaseline()
    {
        PrivacyOptions options = m_options;
        options.membershipInference = true;
        options.membershipSeeds = 1;
        options.membershipPool = 30;
        const PrivacyReport r = inspectPrivacy(makeSet(m_train, 2, true), options);
        // Every pool is attacked on both targets, and each pool has its difference.
        QCOMPARE(r.membership.size(), std::size_t(6));
        QCOMPARE(r.differences.size(), std::size_t(3));
        for (std::size_t i = 0; i < r.membership.size(); i += 2) {
            QCOMPARE(r.membership[i].target, std::string("synthetic set"));
            QCOMPARE(r.membership[i + 1].pool, r.membership[i].pool);
            QVERIFY(r.membership[i].auc.low <= r.membership[i].auc.value && r.membership[i].auc.value <= r.membership[i].auc.high);
            QVERIFY(!r.membership[i].tprAt01Valid); // 30 non-members cannot support 0.1 % FPR
            QVERIFY(!r.membership[i].state.empty());
        }
        QCOMPARE(r.membership[2].pool, std::string("initial images"));
        QCOMPARE(r.membership[2].members, 6);
    }

    void reportsAreWordedHonestly()
    {
        PrivacyOptions options = m_options;
        options.membershipInference = true;
        options.membershipSeeds = 1;
        options.membershipPool = 30;
        for (bool copies : {true, false}) {
            const PrivacyReport r = inspectPrivacy(makeSet(m_train, 1, copies), options);
            const QString html = QString::fromStdString(privacyHtml(r));
            const QString json = QString::fromStdString(privacyJson(r));
            // docs/privacy.md §6: these words never appear; "no leakage" only as "no leakage detected by this test".
            static const QRegularExpression forbidden(
                QStringLiteral("anonymi[sz]|anonymous|de-identified|privacy-preserving|safe to share|differentially private|"
                               "GDPR|HIPAA"),
                QRegularExpression::CaseInsensitiveOption);
            QVERIFY2(!html.contains(forbidden), qPrintable(html.mid(html.indexOf(forbidden) - 40, 80)));
            QVERIFY(!json.contains(forbidden));
            QVERIFY(!html.contains(QRegularExpression(QStringLiteral("no leakage(?! detected by this test)"))));
            QVERIFY(html.contains(QString::fromStdString(r.footer)));
            QVERIFY(html.contains(QLatin1String("random real subset")));
            QVERIFY(html.contains(QLatin1String("data:image/png;base64,")));
            const QJsonObject o = QJsonDocument::fromJson(json.toUtf8()).object();
            QCOMPARE(o[QStringLiteral("footer")].toString(), QString::fromStdString(r.footer));
            QCOMPARE(o[QStringLiteral("images")].toArray().size(), 3);

            // One plain headline per finding, each with its detail, and the same in privacy.json.
            QStringList headlines;
            for (const auto& f : r.findings) {
                QVERIFY(!f.headline.empty() && !f.detail.empty());
                headlines << QString::fromStdString(f.headline);
            }
            QCOMPARE(o[QStringLiteral("findings")].toArray().size(), static_cast<int>(r.findings.size()));
            const QString all = headlines.join(QLatin1Char('\n'));
            if (copies)
                QVERIFY2(headlines.contains(QStringLiteral("3 of 3 images are copies of a training image.")), qPrintable(all));
            else
                QVERIFY2(all.contains(QLatin1String("None of the 3 images is a copy of")), qPrintable(all));
            QVERIFY2(all.contains(QLatin1String("% of the images sit closer to a training image than to an unseen real one")),
                qPrintable(all));
            QCOMPARE(headlines.filter(QStringLiteral("Guessing which real images were used for training")).size(),
                static_cast<int>(r.differences.size()));
        }
    }

    void aCheckThatCannotRunIsRefusedUpFront()
    {
        QCOMPARE(privacyCannotRun(10, 22, "idx:/data"), std::string());
        const QString why = QString::fromStdString(privacyCannotRun(10, 21, "idx:/data"));
        QVERIFY2(why.contains(QLatin1String("idx:/data has too few test images (21)")) && why.contains(QLatin1String("needs 22")),
            qPrintable(why));
    }

    void pngsDecode()
    {
        ImageBatch8 batch{2, 1, 4, 3, {}};
        for (int i = 0; i < 24; ++i)
            batch.data.push_back(static_cast<std::uint8_t>(i * 10));
        const auto bytes = encodePng(batch, 1);
        QImage image;
        QVERIFY(image.loadFromData(bytes.data(), static_cast<int>(bytes.size()), "PNG"));
        QCOMPARE(image.width(), 3);
        QCOMPARE(image.height(), 4);
        QCOMPARE(qGray(image.pixel(2, 3)), (12 + 11) * 10);
    }

    void setOfAnotherDataSetIsRefused()
    {
        SyntheticSet s = makeSet(m_train, 1, true);
        s.numClasses = 4;
        s.classNames.push_back("3");
        QVERIFY_THROWS_EXCEPTION(Error, inspectPrivacy(s, m_options));
    }
};

QTEST_GUILESS_MAIN(TestPrivacy)
#include "tst_privacy.moc"

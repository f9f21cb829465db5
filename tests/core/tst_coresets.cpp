// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "fixtures.h"

#include <distillery/error.h>
#include <distillery/methods.h>
#include <distillery/runcontrol.h>
#include <distillery/session.h>

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <set>

using namespace distillery::core;

namespace {

constexpr int kClasses = 3;
constexpr int kPixels = 16 * 16;

double squaredDistance(const std::vector<double>& a, const std::vector<double>& b)
{
    double d = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        d += (a[i] - b[i]) * (a[i] - b[i]);
    return d;
}

} // namespace

class TestCoresets : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    fixtures::ToyImages m_train = fixtures::makeToyImages(kClasses, 24, 16, 1, 1);
    std::string m_source;

    RunConfig config(const std::string& method, int ipc)
    {
        RunConfig c;
        applyPreset(c, "classroom");
        c.method = method;
        c.ipc = ipc;
        c.device = "cpu";
        c.data.source = m_source;
        c.outDir = "";
        c.finalEval = false;
        if (method != "random")
            c.params.set("features", std::string("pixels"));
        return c;
    }

    struct Outcome
    {
        SyntheticSet set;
        std::vector<Snapshot> snapshots;
        std::vector<StepStats> steps;
    };

    Outcome run(const RunConfig& c)
    {
        Outcome out;
        Session session(c);
        RunControl control;
        SessionCallbacks callbacks;
        callbacks.onSnapshot = [&](const Snapshot& s) { out.snapshots.push_back(s); };
        callbacks.onStep = [&](const StepStats& s) { out.steps.push_back(s); };
        session.run(control, callbacks);
        out.set = session.synthetic();
        return out;
    }

    std::vector<double> pixels(std::int64_t index) const
    {
        std::vector<double> v;
        for (int p = 0; p < kPixels; ++p)
            v.push_back(m_train.image(static_cast<int>(index))[p]);
        return v;
    }

    std::vector<double> classMean(int c) const
    {
        std::vector<double> mean(kPixels, 0.0);
        int n = 0;
        for (int i = 0; i < m_train.count; ++i)
            if (m_train.labels[i] == c) {
                const auto p = pixels(i);
                for (int k = 0; k < kPixels; ++k)
                    mean[k] += p[k];
                ++n;
            }
        for (auto& m : mean)
            m /= n;
        return mean;
    }

    /// Every image of the set is the real training image its init index names, label included.
    void checkRealImages(const SyntheticSet& set) const
    {
        for (int i = 0; i < set.images.count; ++i) {
            const auto index = set.initIndices[i];
            QVERIFY(index >= 0 && index < m_train.count);
            QCOMPARE(set.labels[i], static_cast<std::int64_t>(m_train.labels[index]));
            for (int p = 0; p < kPixels; ++p) {
                const float pixel = set.images.data[static_cast<std::size_t>(i) * kPixels + p] * set.std[0] + set.mean[0];
                QVERIFY(std::abs(pixel * 255.0f - m_train.image(static_cast<int>(index))[p]) < 1e-3);
            }
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_source = fixtures::writeIdx(m_dir.filePath(QStringLiteral("toy")), m_train, fixtures::makeToyImages(kClasses, 5, 16, 1, 2))
                       .toStdString();
    }

    void registryKnowsTheBaselines()
    {
        QCOMPARE(methodInfo("herding").name, std::string("herding"));
        QVERIFY(methodInfo("kcenter").selectsRealImages);
        QVERIFY_THROWS_EXCEPTION(Error, methodInfo("nope"));
    }

    void randomPicksDistinctRealImagesClassMajor()
    {
        const Outcome o = run(config("random", 4));
        QCOMPARE(o.set.images.count, 4 * kClasses);
        QCOMPARE(o.set.labels, std::vector<std::int64_t>({0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2}));
        checkRealImages(o.set);
        std::set<std::int64_t> unique(o.set.initIndices.begin(), o.set.initIndices.end());
        QCOMPARE(unique.size(), std::size_t(12));
        // The selection grows by one image per class and step: snapshots 0, 3, 6, 9, 12.
        QCOMPARE(o.snapshots.size(), std::size_t(5));
        for (std::size_t k = 0; k < o.snapshots.size(); ++k)
            QCOMPARE(o.snapshots[k].images.count, static_cast<int>(k) * kClasses);
        QCOMPARE(o.steps.size(), std::size_t(4));
        QCOMPARE(o.steps.back().classTerms.size(), std::size_t(kClasses));
    }

    void herdingFollowsTheGreedyRule()
    {
        const Outcome o = run(config("herding", 2));
        checkRealImages(o.set);
        for (int c = 0; c < kClasses; ++c) {
            const auto mean = classMean(c);
            // p1 = argmin ‖μ − φ(x)‖, p2 = argmin ‖μ − (φ(x) + φ(p1)) / 2‖ (normalising pixels does not move either).
            std::int64_t best1 = -1, best2 = -1;
            double d1 = 1e300, d2 = 1e300;
            for (int i = 0; i < m_train.count; ++i)
                if (m_train.labels[i] == c && squaredDistance(mean, pixels(i)) < d1) {
                    d1 = squaredDistance(mean, pixels(i));
                    best1 = i;
                }
            const auto first = pixels(best1);
            for (int i = 0; i < m_train.count; ++i) {
                if (m_train.labels[i] != c || i == best1)
                    continue;
                auto avg = pixels(i);
                for (int k = 0; k < kPixels; ++k)
                    avg[k] = (avg[k] + first[k]) / 2;
                if (squaredDistance(mean, avg) < d2) {
                    d2 = squaredDistance(mean, avg);
                    best2 = i;
                }
            }
            QCOMPARE(o.set.initIndices[2 * c], best1);
            QCOMPARE(o.set.initIndices[2 * c + 1], best2);
        }
    }

    void herdingRepresentsTheMeanBetterThanRandom()
    {
        const double herding = run(config("herding", 4)).steps.back().loss;
        const double random = run(config("random", 4)).steps.back().loss;
        QVERIFY2(herding < random, qPrintable(QStringLiteral("%1 vs %2").arg(herding).arg(random)));
    }

    void kCenterAddsTheFarthestImage()
    {
        const Outcome o = run(config("kcenter", 2));
        checkRealImages(o.set);
        for (int c = 0; c < kClasses; ++c) {
            const auto first = pixels(o.set.initIndices[2 * c]);
            std::int64_t farthest = -1;
            double best = -1;
            for (int i = 0; i < m_train.count; ++i)
                if (m_train.labels[i] == c && squaredDistance(first, pixels(i)) > best) {
                    best = squaredDistance(first, pixels(i));
                    farthest = i;
                }
            QCOMPARE(o.set.initIndices[2 * c + 1], farthest);
        }
        // The coverage radius can only shrink as centres are added.
        const Outcome more = run(config("kcenter", 5));
        for (std::size_t k = 1; k < more.steps.size(); ++k)
            QVERIFY(more.steps[k].loss <= more.steps[k - 1].loss + 1e-9);
    }

    void convNetFeatures()
    {
        RunConfig c = config("herding", 2);
        c.params.set("features", std::string("convnet"));
        c.params.set("featureEpochs", std::int64_t(2));
        c.model.width = 8;
        const Outcome a = run(c);
        checkRealImages(a.set);
        QCOMPARE(run(c).set.initIndices, a.set.initIndices); // the feature network is seeded too
    }

    // Issue 12: preparation is a stage of its own that Stop ends at once. The feature network checks the stop before
    // every batch, so after the stop no further batch runs; nothing but the folder's config.json is written.
    void stopDuringFeatureTrainingEndsAtOnce()
    {
        RunConfig c = config("herding", 2);
        // 600 images: three batches of the protocol's 256 per epoch, so a stop between batches is seen as such.
        c.data.source = fixtures::writeToyIdxDataset(m_dir.filePath(QStringLiteral("toy600")), kClasses, 200, 5).toStdString();
        c.params.set("features", std::string("convnet"));
        c.params.set("featureEpochs", std::int64_t(10000)); // hours: only the stop can end it in a test
        c.model.width = 8;
        c.outDir = m_dir.filePath(QStringLiteral("stopped")).toStdString();
        Session session(c);
        RunControl control;
        SessionCallbacks callbacks;
        int progressCalls = 0;
        int afterStop = 0;
        std::string stage;
        callbacks.onStageProgress = [&](const StageProgress& p) {
            ++progressCalls;
            stage = p.stage;
            QCOMPARE(p.total, 10001L * 3); // passes × batches: what an ETA needs
            if (control.stopRequested())
                ++afterStop;
            if (progressCalls == 2) // in the middle of the first epoch
                control.requestStop();
        };
        const RunResult result = session.run(control, callbacks);
        QVERIFY(result.stopped);
        QCOMPARE(result.iterations, 0);
        QCOMPARE(progressCalls, 2);
        QCOMPARE(afterStop, 0);
        QCOMPARE(stage, std::string("training the feature network"));
        const QStringList files = QDir(QString::fromStdString(result.runDir)).entryList(QDir::Files);
        QVERIFY2(!files.contains(QStringLiteral("synthetic.safetensors")), qPrintable(files.join(u' ')));
        QVERIFY2(!files.contains(QStringLiteral("checkpoint.safetensors")), qPrintable(files.join(u' ')));
        QVERIFY(files.contains(QStringLiteral("config.json")));
    }

    void ipcLargerThanAClassIsAnError()
    {
        try {
            run(config("random", 25));
            QFAIL("no error");
        } catch (const Error& e) {
            QVERIFY(QString::fromStdString(e.what()).startsWith(QLatin1String("ipc: 25")));
        }
    }
};

QTEST_APPLESS_MAIN(TestCoresets)
#include "tst_coresets.moc"

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// Trajectory matching (issue 13): the functional forward, the gradient through an unrolled step, MTT's two gradient
// forms, the expert cache, and MTT runs (loss, resume, learned labels).
#include "fixtures.h"

#include <distillery/diagnostics.h>
#include <distillery/error.h>
#include <distillery/experts.h>
#include <distillery/runcontrol.h>
#include <distillery/session.h>
#include <distillery/syntheticio.h>

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <numeric>

using namespace distillery::core;

class TestMtt : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_data;

    /// A tiny MTT run: 3 classes of 16×16 toy images, a width-8 ConvNet, two experts of two epochs in a folder of
    /// the test's own.
    RunConfig config(const QString& expertsDir)
    {
        RunConfig c = fixtures::tinyRun(m_data.toStdString(), "mtt", 2, 6);
        c.expertsDir = expertsDir.toStdString();
        c.outDir = m_dir.filePath(QStringLiteral("runs")).toStdString();
        c.finalEval = false;
        c.params.set("experts", std::int64_t(2));
        c.params.set("maxStartEpoch", std::int64_t(1));
        c.params.set("expertEpochs", std::int64_t(1));
        c.params.set("synSteps", std::int64_t(4));
        c.params.set("lrImage", 100.0);
        c.params.set("lrTeacher", 0.05);
        c.seed = 3;
        return c;
    }

    QStringList expertFiles(const QString& expertsDir)
    {
        QStringList files;
        for (const QString& entry : QDir(expertsDir).entryList(QDir::Dirs | QDir::NoDotAndDotDot))
            for (const QString& f : QDir(expertsDir + QLatin1Char('/') + entry).entryList({QStringLiteral("expert-*")}, QDir::Files))
                files << entry + QLatin1Char('/') + f;
        return files;
    }

    /// Runs to the end, collecting the log and the losses.
    RunResult runCollecting(Session& session, QStringList* log = nullptr, std::vector<double>* losses = nullptr,
        std::vector<StepStats>* steps = nullptr)
    {
        SessionCallbacks callbacks;
        callbacks.onMessage = [&](const std::string& line) {
            if (log)
                *log << QString::fromStdString(line);
        };
        callbacks.onStep = [&](const StepStats& s) {
            if (losses)
                losses->push_back(s.loss);
            if (steps)
                steps->push_back(s);
        };
        RunControl control;
        session.prepare(callbacks, &control);
        return session.run(control, callbacks);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_data = fixtures::writeToyIdxDataset(m_dir.filePath(QStringLiteral("data")), 3, 24, 10);
    }

    void functionalForwardMatchesTheModule_data()
    {
        QTest::addColumn<QString>("arch");
        QTest::addColumn<QString>("norm");
        QTest::addColumn<QString>("pooling");
        QTest::addColumn<int>("size");
        QTest::newRow("convnet instance avg 28") << QStringLiteral("convnet") << QStringLiteral("instance") << QStringLiteral("avg") << 28;
        QTest::newRow("convnet none max 16") << QStringLiteral("convnet") << QStringLiteral("none") << QStringLiteral("max") << 16;
        QTest::newRow("lenet 28") << QStringLiteral("lenet") << QStringLiteral("none") << QStringLiteral("max") << 28;
        QTest::newRow("lenet 20") << QStringLiteral("lenet") << QStringLiteral("none") << QStringLiteral("max") << 20;
    }

    void functionalForwardMatchesTheModule()
    {
        QFETCH(QString, arch);
        QFETCH(QString, norm);
        QFETCH(QString, pooling);
        QFETCH(int, size);
        ModelConfig m;
        m.arch = arch.toStdString();
        m.norm = norm.toStdString();
        m.pooling = pooling.toStdString();
        m.width = 6;
        m.depth = 2;
        const double error = functionalForwardError(m, 1, size, 4, 5, 11);
        QVERIFY2(error < 1e-5, qPrintable(QString::number(error)));
    }

    void batchNormIsRefusedByName()
    {
        ModelConfig m;
        m.norm = "batch";
        m.width = 4;
        const QString error = fixtures::errorMessage([&] { functionalForwardError(m, 1, 16, 3, 2, 1); });
        QVERIFY2(error.contains(QLatin1String("model.norm")), qPrintable(error));
    }

    void unrolledStepGradientMatchesFiniteDifferences_data()
    {
        QTest::addColumn<QString>("arch");
        QTest::newRow("convnet") << QStringLiteral("convnet");
        QTest::newRow("lenet") << QStringLiteral("lenet");
    }

    void unrolledStepGradientMatchesFiniteDifferences()
    {
        QFETCH(QString, arch);
        ModelConfig m;
        m.arch = arch.toStdString();
        m.width = 3;
        m.depth = 1;
        const double error = unrolledStepGradientError(m, 1, 16, 3, 6, 7);
        QVERIFY2(error < 1e-4, qPrintable(QString::number(error)));
    }

    void constantMemoryGradientIsExactForOneStep()
    {
        // With one student step nothing is dropped: TESLA's gradient is the unroll's.
        RunConfig c = config(m_dir.filePath(QStringLiteral("experts-grad")));
        c.params.set("synSteps", std::int64_t(1));
        const MttGradientCheck check = checkMttGradients(c);
        QVERIFY2(check.imageCosine > 0.99999, qPrintable(QString::number(check.imageCosine)));
        QVERIFY2(check.imageRelativeError < 1e-4, qPrintable(QString::number(check.imageRelativeError)));
        QVERIFY(std::abs(check.alphaConstant - check.alphaFull) <= 1e-4 * std::abs(check.alphaFull));
    }

    void constantMemoryGradientStaysCloseOverSeveralSteps()
    {
        // Several steps: it drops the terms through later steps' dependence on earlier pixels. The bound is the one
        // BENCHMARKS.md states ("MTT: how exact is the constant-memory gradient").
        RunConfig c = config(m_dir.filePath(QStringLiteral("experts-grad")));
        c.params.set("synSteps", std::int64_t(6));
        c.params.set("labels", std::string("learned"));
        const MttGradientCheck check = checkMttGradients(c);
        qInfo("6 steps: image cosine %.5f, relative error %.4f, alpha %.4g vs %.4g, label cosine %.5f", check.imageCosine,
            check.imageRelativeError, check.alphaFull, check.alphaConstant, check.labelCosine);
        QVERIFY(check.imageCosine > 0.9);
        QVERIFY(check.labelCosine > 0.9);
        QVERIFY(check.imageCosine < 1.0 - 1e-9); // not the same computation: the test would not notice a swap
        QVERIFY((check.alphaConstant > 0) == (check.alphaFull > 0));
    }

    void mttLowersItsLossAndLearnsAStepSize()
    {
        RunConfig c = config(m_dir.filePath(QStringLiteral("experts-loss")));
        c.iterations = 40;
        c.params.set("lrLr", 1e-4);
        Session session(c);
        std::vector<double> losses;
        std::vector<StepStats> steps;
        const RunResult result = runCollecting(session, nullptr, &losses, &steps);
        QCOMPARE(losses.size(), std::size_t(40));
        const double first = std::accumulate(losses.begin(), losses.begin() + 8, 0.0) / 8;
        const double last = std::accumulate(losses.end() - 8, losses.end(), 0.0) / 8;
        QVERIFY2(last < 0.9 * first, qPrintable(QStringLiteral("%1 -> %2").arg(first).arg(last)));
        const SyntheticSet set = session.synthetic();
        QCOMPARE(set.learnedLr.size(), std::size_t(1));
        QVERIFY(set.learnedLr[0] > 0);
        QVERIFY(set.learnedLr[0] != 0.05f); // α moved

        // What the window plots: each step's distance after every student step (N + 1 values from 1 down to the
        // loss) and α after the step; metrics.jsonl keeps both for a reopened run.
        for (const StepStats& s : steps) {
            QCOMPARE(s.unrollCurve.size(), std::size_t(4 + 1));
            QCOMPARE(s.unrollCurve.front(), 1.0);
            QVERIFY2(std::abs(s.unrollCurve.back() - s.loss) <= 1e-5 * s.loss,
                qPrintable(QStringLiteral("%1 against %2").arg(s.unrollCurve.back()).arg(s.loss)));
            QCOMPARE(s.stepSizes.size(), std::size_t(1));
        }
        QVERIFY(steps.front().unrollCurve != steps.back().unrollCurve);
        QCOMPARE(static_cast<float>(steps.back().stepSizes[0]), set.learnedLr[0]);
        QVERIFY(steps.front().stepSizes[0] != steps.back().stepSizes[0]);
        const RunHistory history = loadRunHistory(result.runDir);
        QCOMPARE(history.steps.size(), steps.size());
        for (std::size_t i = 0; i < steps.size(); ++i) {
            QCOMPARE(history.steps[i].unrollCurve, steps[i].unrollCurve);
            QCOMPARE(history.steps[i].stepSizes, steps[i].stepSizes);
        }
    }

    void expertsAreCachedAndKeyedByWhatMakesThem()
    {
        const QString experts = m_dir.filePath(QStringLiteral("experts-cache"));
        RunConfig c = config(experts);
        c.iterations = 1;
        QStringList log;
        {
            Session s(c);
            runCollecting(s, &log);
        }
        QVERIFY2(log.join(QLatin1Char('\n')).contains(QLatin1String("0 of 2 found")), qPrintable(log.join(QLatin1Char('\n'))));
        QCOMPARE(expertFiles(experts).size(), 2);
        const QStringList firstFiles = expertFiles(experts);
        const QDateTime written = QFileInfo(experts + QLatin1Char('/') + firstFiles[0]).lastModified();

        // Another seed and IPC: the same experts, none trained again.
        log.clear();
        c.seed = 99;
        c.ipc = 1;
        {
            Session s(c);
            runCollecting(s, &log);
        }
        QVERIFY2(log.join(QLatin1Char('\n')).contains(QLatin1String("2 of 2 found")), qPrintable(log.join(QLatin1Char('\n'))));
        QCOMPARE(QFileInfo(experts + QLatin1Char('/') + firstFiles[0]).lastModified(), written);

        // Three experts: only the third is trained.
        log.clear();
        c.params.set("experts", std::int64_t(3));
        {
            Session s(c);
            runCollecting(s, &log);
        }
        QVERIFY2(log.join(QLatin1Char('\n')).contains(QLatin1String("2 of 3 found")) && log.join(QLatin1Char('\n')).contains(QLatin1String("training 1 (")), qPrintable(log.join(QLatin1Char('\n'))));

        // Another expert learning rate is another key: a second entry.
        c.params.set("lrTeacher", 0.02);
        {
            Session s(c);
            runCollecting(s);
        }
        const auto entries = listExpertCaches(experts.toStdString());
        QCOMPARE(entries.size(), std::size_t(2));
        for (const auto& e : entries) {
            QVERIFY(e.experts == 3);
            QCOMPARE(e.epochs, 2);
            QVERIFY(e.bytes > 0);
            QVERIFY(e.problems.empty());
            QVERIFY(QString::fromStdString(e.description).contains(QLatin1String("epochs")));
        }
        removeExpertCache(experts.toStdString(), entries[0].id);
        QCOMPARE(listExpertCaches(experts.toStdString()).size(), std::size_t(1));
        QVERIFY(fixtures::errorMessage([&] { removeExpertCache(experts.toStdString(), "../x"); }).contains(QLatin1String("not an entry")));
        QVERIFY(fixtures::errorMessage([&] { removeExpertCache(experts.toStdString(), "nope"); }).contains(QLatin1String("no entry")));
    }

    void damagedOrForeignExpertsAreRefusedByName()
    {
        const QString experts = m_dir.filePath(QStringLiteral("experts-bad"));
        RunConfig c = config(experts);
        c.iterations = 1;
        {
            Session s(c);
            runCollecting(s);
        }
        const QStringList files = expertFiles(experts);
        QCOMPARE(files.size(), 2);
        const QString victim = experts + QLatin1Char('/') + files[0];
        QFile f(victim);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray good = f.readAll();
        f.close();

        // Truncated.
        fixtures::writeFile(victim, good.left(good.size() - 100));
        // Both experts are drawn within a few iterations.
        c.iterations = 6;
        QString error = fixtures::errorMessage([&] {
            Session s(c);
            runCollecting(s);
        });
        QVERIFY2(error.contains(QFileInfo(victim).fileName()), qPrintable(error));

        // Another expert's file (another key) under this name.
        RunConfig other = c;
        other.params.set("lrTeacher", 0.03);
        other.iterations = 1;
        {
            Session s(other);
            runCollecting(s);
        }
        QString otherFile;
        for (const QString& file : expertFiles(experts))
            if (!file.startsWith(files[0].section(QLatin1Char('/'), 0, 0)))
                otherFile = experts + QLatin1Char('/') + file;
        QVERIFY(!otherFile.isEmpty());
        QFile::remove(victim);
        QVERIFY(QFile::copy(otherFile, victim));
        error = fixtures::errorMessage([&] {
            Session s(c);
            runCollecting(s);
        });
        QVERIFY2(error.contains(QFileInfo(victim).fileName()) && error.contains(QLatin1String("another")), qPrintable(error));
    }

    // A stop mid-expert keeps where that expert got (a kill loses at most ~30 s: the same file is written every 30 s
    // of training); the next build continues it and ends with exactly the expert an uninterrupted build makes.
    void stoppedExpertContinuesWhereItStopped()
    {
        const QString experts = m_dir.filePath(QStringLiteral("experts-stop"));
        RunConfig c = config(experts);
        // 600 training images: 3 batches of 256 per epoch, so the stop falls inside an epoch.
        c.data.source = fixtures::writeToyIdxDataset(m_dir.filePath(QStringLiteral("data600")), 3, 200, 10).toStdString();
        c.params.set("experts", std::int64_t(3));
        c.params.set("maxStartEpoch", std::int64_t(2)); // 3 epochs
        RunControl control;
        SessionCallbacks callbacks;
        long seen = 0;
        callbacks.onStageProgress = [&](const StageProgress& p) {
            seen = p.done;
            // 9 batches per expert: stop after the second expert's fifth (epoch 2, batch 2 of 3).
            if (p.done == 9 + 5)
                control.requestStop();
        };
        Session s(c);
        bool cancelled = false;
        try {
            s.prepare(callbacks, &control);
        } catch (const Cancelled&) {
            cancelled = true;
        }
        QVERIFY(cancelled);
        QVERIFY(seen > 0);
        QCOMPARE(expertFiles(experts).size(), 1); // the one in training is not an expert (yet)
        const QStringList entries = QDir(experts).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        QCOMPARE(entries.size(), 1);
        const QDir entry(experts + QLatin1Char('/') + entries[0]);
        QCOMPARE(entry.entryList({QStringLiteral("progress-*")}, QDir::Files), QStringList{QStringLiteral("progress-0001.safetensors")});
        QCOMPARE(entry.entryList(QDir::Files | QDir::Hidden).filter(QStringLiteral("partial")).size(), 0);
        // Damaged progress of the third expert only costs its time: it is discarded, the expert starts over.
        fixtures::writeFile(entry.filePath(QStringLiteral("progress-0002.safetensors")), QByteArray(300, 'x'));
        const auto listed = listExpertCaches(experts.toStdString());
        QCOMPARE(listed.size(), std::size_t(1));
        QCOMPARE(listed[0].experts, 1);
        QCOMPARE(listed[0].inProgress, 2);

        // The next run trains only what is missing, continuing the second expert.
        QStringList log;
        Session again(c);
        RunControl c2;
        SessionCallbacks cb2;
        cb2.onMessage = [&](const std::string& line) { log << QString::fromStdString(line); };
        again.prepare(cb2, &c2);
        const QString text = log.join(QLatin1Char('\n'));
        QVERIFY2(text.contains(QLatin1String("1 of 3 found")) && text.contains(QLatin1String("training 2 (")), qPrintable(text));
        QVERIFY2(text.contains(QLatin1String("expert 1: continuing where it stopped (epoch 2, batch 2)")), qPrintable(text));
        QVERIFY2(text.contains(QLatin1String("expert 2: discarded its kept progress")), qPrintable(text));
        QCOMPARE(entry.entryList({QStringLiteral("progress-*")}, QDir::Files).size(), 0);

        // Bit for bit the experts of a build that never stopped.
        const QString whole = m_dir.filePath(QStringLiteral("experts-whole"));
        RunConfig w = c;
        w.expertsDir = whole.toStdString();
        Session uninterrupted(w);
        RunControl c3;
        uninterrupted.prepare({}, &c3);
        for (const QString& name : {QStringLiteral("expert-0001.safetensors"), QStringLiteral("expert-0002.safetensors")}) {
            const QByteArray stopped = fixtures::readFile(entry.filePath(name));
            QVERIFY(!stopped.isEmpty());
            QVERIFY2(stopped == fixtures::readFile(whole + QLatin1Char('/') + entries[0] + QLatin1Char('/') + name), qPrintable(name));
        }
    }

    void resumedRunEqualsUninterruptedRun_data()
    {
        QTest::addColumn<QString>("memory");
        QTest::addColumn<QString>("labels");
        QTest::newRow("full, hard") << QStringLiteral("full") << QStringLiteral("hard");
        QTest::newRow("constant, learned") << QStringLiteral("constant") << QStringLiteral("learned");
    }

    void resumedRunEqualsUninterruptedRun()
    {
        QFETCH(QString, memory);
        QFETCH(QString, labels);
        RunConfig c = config(m_dir.filePath(QStringLiteral("experts-resume")));
        c.params.set("memory", memory.toStdString());
        c.params.set("labels", labels.toStdString());
        Session whole(c);
        runCollecting(whole);

        Session first(c);
        const RunResult stopped = fixtures::runStoppingAfter(first, 3);
        QCOMPARE(stopped.iterations, 3);
        Session resumed(loadRunFolderConfig(stopped.runDir), stopped.runDir);
        RunControl control;
        const RunResult r = resumed.run(control);
        QCOMPARE(r.iterations, 6);
        QCOMPARE(resumed.synthetic().images.data, whole.synthetic().images.data);
        QCOMPARE(resumed.synthetic().learnedLr, whole.synthetic().learnedLr);
        QCOMPARE(resumed.synthetic().softLabels, whole.synthetic().softLabels);
    }

    void learnedLabelsAreExportedAsProbabilities()
    {
        RunConfig c = config(m_dir.filePath(QStringLiteral("experts-labels")));
        c.params.set("labels", std::string("learned"));
        c.params.set("lrLabel", 10.0);
        c.iterations = 10;
        c.finalEval = true;
        Session session(c);
        const RunResult r = runCollecting(session);
        // Reported both ways: the same images with their hard labels, then with the learned ones.
        QCOMPARE(r.evaluations.size(), std::size_t(2));
        QCOMPARE(r.evaluations[0].labels, std::string("hard"));
        QCOMPARE(r.evaluations[0].subject, std::string("synthetic, hard labels"));
        QCOMPARE(r.evaluations[1].labels, std::string("soft"));
        QCOMPARE(r.evaluations[1].subject, std::string("synthetic"));
        const SyntheticSet saved = loadSyntheticSet(r.runDir + "/synthetic.safetensors");
        QCOMPARE(saved.softLabels.size(), saved.labels.size() * 3);
        bool moved = false;
        for (std::size_t i = 0; i < saved.labels.size(); ++i) {
            double sum = 0;
            for (int k = 0; k < 3; ++k) {
                const float p = saved.softLabels[i * 3 + k];
                QVERIFY(p >= 0 && p <= 1);
                sum += p;
                if (k == saved.labels[i] && std::abs(p - 0.9f) > 1e-3f)
                    moved = true;
            }
            QVERIFY(std::abs(sum - 1.0) < 1e-4);
        }
        QVERIFY(moved); // the labels were learned, not just exported
    }

    void aDivergingStepSizeStopsWithTheLastGoodSet()
    {
        // lrLr far too large: α leaves any plausible range within a few iterations. The run stops, names the
        // setting to lower, and keeps the last set from before it diverged.
        RunConfig c = config(m_dir.filePath(QStringLiteral("experts-diverge")));
        c.params.set("lrLr", 1.0);
        c.iterations = 50;
        QString error;
        std::string runDir;
        try {
            Session session(c);
            RunControl control;
            session.prepare({}, &control);
            runDir = session.runDir();
            session.run(control);
        } catch (const Error& e) {
            error = QString::fromUtf8(e.what());
        }
        QVERIFY2(error.contains(QLatin1String("learned step size")) && error.contains(QLatin1String("params.lrLr")),
            qPrintable(error));
        QVERIFY(!runDir.empty());
        const SyntheticSet kept = loadSyntheticSet(runDir + "/synthetic.safetensors");
        QCOMPARE(kept.learnedLr.size(), std::size_t(1));
        QVERIFY(std::isfinite(kept.learnedLr[0]) && kept.learnedLr[0] <= 10.0f);
    }

    void unrollThatCannotFitIsRefusedBeforeStarting()
    {
        RunConfig c = config(m_dir.filePath(QStringLiteral("experts-memory")));
        c.params.set("synSteps", std::int64_t(1000));
        c.params.set("batchSyn", std::int64_t(1000000));
        c.ipc = 20;
        c.model.width = 512;
        const QString error = fixtures::errorMessage([&] {
            Session s(c);
            s.prepare();
        });
        QVERIFY2(error.contains(QLatin1String("params.synSteps")) && error.contains(QLatin1String("GB")), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestMtt)
#include "tst_mtt.moc"

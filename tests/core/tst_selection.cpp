// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// Data selection before distillation (issue 14 item 4): the rule, exact counts, reproducibility, the score cache, and
// that a method never draws a dropped image.
#include "fixtures.h"

#include <distillery/diagnostics.h>
#include <distillery/error.h>
#include <distillery/runcontrol.h>
#include <distillery/selection.h>
#include <distillery/session.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <map>
#include <set>

using namespace distillery::core;

class TestSelection : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::string m_data;

    RunConfig config(const std::string& method, const std::string& rule, double fraction)
    {
        RunConfig c = fixtures::tinyRun(m_data, method, 2, 3);
        c.outDir = m_dir.filePath(QStringLiteral("runs")).toStdString();
        c.scoresDir = m_dir.filePath(QStringLiteral("scores")).toStdString();
        c.finalEval = false;
        c.data.select = rule;
        c.data.selectFraction = fraction;
        c.seed = 4;
        return c;
    }

    static std::map<std::int64_t, int> perClass(const SelectionSamplingCheck& check)
    {
        std::map<std::int64_t, int> counts;
        for (const auto i : check.kept)
            ++counts[check.labels[static_cast<std::size_t>(i)]];
        return counts;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_data = fixtures::writeToyIdxDataset(m_dir.filePath(QStringLiteral("data")), 3, 24, 10).toStdString();
    }

    // BiLP's rule by hand: per class, order by score and drop the first ⌊fraction · n⌋.
    void ruleDropsByScoreWithinEachClass()
    {
        const std::vector<std::int64_t> labels = {0, 0, 0, 0, 1, 1, 1, 1};
        const std::vector<float> scores = {5, 1, 3, 2, 0, 9, 4, 7};
        QCOMPARE(selectKeptIndices(labels, 2, "drop-hardest", 0.5, scores, 0), (std::vector<std::int64_t>{1, 3, 4, 6}));
        QCOMPARE(selectKeptIndices(labels, 2, "drop-easiest", 0.5, scores, 0), (std::vector<std::int64_t>{0, 2, 5, 7}));
        // ⌊0.6 · 4⌋ = 2 dropped, ⌊0.2 · 4⌋ = 0 dropped.
        QCOMPARE(selectKeptIndices(labels, 2, "drop-hardest", 0.6, scores, 0), (std::vector<std::int64_t>{1, 3, 4, 6}));
        QCOMPARE(selectKeptIndices(labels, 2, "drop-hardest", 0.2, scores, 0).size(), std::size_t(8));
        // Random: two per class, the same for the same seed.
        const auto a = selectKeptIndices(labels, 2, "drop-random", 0.5, {}, 11);
        QCOMPARE(a.size(), std::size_t(4));
        QCOMPARE(std::count_if(a.begin(), a.end(), [](std::int64_t i) { return i < 4; }), 2L);
        QCOMPARE(selectKeptIndices(labels, 2, "drop-random", 0.5, {}, 11), a);
        QVERIFY(fixtures::errorMessage([&] { selectKeptIndices(labels, 2, "drop-odd", 0.5, scores, 0); }).contains(QLatin1String("drop-odd")));
    }

    void keepsExactlyTheRequestedCountPerClassReproducibly_data()
    {
        QTest::addColumn<QString>("rule");
        QTest::newRow("drop-hardest") << QStringLiteral("drop-hardest");
        QTest::newRow("drop-easiest") << QStringLiteral("drop-easiest");
        QTest::newRow("drop-random") << QStringLiteral("drop-random");
    }

    void keepsExactlyTheRequestedCountPerClassReproducibly()
    {
        QFETCH(QString, rule);
        const RunConfig c = config("dm", rule.toStdString(), 0.5);
        const SelectionSamplingCheck first = checkSelectionSampling(c, 1);
        QCOMPARE(first.kept.size(), std::size_t(36));
        for (const auto& [label, count] : perClass(first))
            QCOMPARE(count, 12); // 24 − ⌊0.5 · 24⌋ of each class
        QCOMPARE(perClass(first).size(), std::size_t(3));
        QCOMPARE(checkSelectionSampling(c, 1).kept, first.kept); // the second reads the cached scores
    }

    void hardestAndEasiestAreDisjointHalves()
    {
        const auto hard = checkSelectionSampling(config("dm", "drop-hardest", 0.5), 0).kept;
        const auto easy = checkSelectionSampling(config("dm", "drop-easiest", 0.5), 0).kept;
        std::vector<std::int64_t> both;
        std::set_intersection(hard.begin(), hard.end(), easy.begin(), easy.end(), std::back_inserter(both));
        QVERIFY2(both.empty(), qPrintable(QStringLiteral("%1 images kept by both").arg(both.size())));
    }

    // Every draw of real images (real batches, starting images, coreset picks) stays inside the kept pool.
    void methodsNeverDrawADroppedImage_data()
    {
        QTest::addColumn<QString>("method");
        for (const char* m : {"dm", "dsa", "frepo", "rfad", "dd", "random", "herding"})
            QTest::newRow(m) << QString::fromLatin1(m);
    }

    void methodsNeverDrawADroppedImage()
    {
        QFETCH(QString, method);
        const SelectionSamplingCheck check = checkSelectionSampling(config(method.toStdString(), "drop-hardest", 0.75), 2);
        const std::set<std::int64_t> kept(check.kept.begin(), check.kept.end());
        QCOMPARE(kept.size(), std::size_t(18));
        std::vector<std::int64_t> touched = check.drawn;
        for (const auto i : check.initIndices)
            if (i >= 0)
                touched.push_back(i);
        QVERIFY(!touched.empty());
        for (const auto i : touched)
            QVERIFY2(kept.count(i), qPrintable(QStringLiteral("%1 drew dropped image %2").arg(method).arg(i)));
    }

    void runFolderRecordsTheSelection()
    {
        RunConfig c = config("dm", "drop-easiest", 0.5);
        Session session(c);
        RunControl control;
        const RunResult r = session.run(control);
        const auto recorded = loadRunSelection(r.runDir);
        QVERIFY(recorded.has_value());
        QCOMPARE(recorded->rule, std::string("drop-easiest"));
        QCOMPARE(recorded->fraction, 0.5);
        QCOMPARE(recorded->score, std::string("converged"));
        QCOMPARE(recorded->kept, checkSelectionSampling(c, 0).kept);
        QCOMPARE(recorded->scores.size(), std::size_t(72));
        // Every kept image scores at least as high as every dropped one of its class (easiest dropped).
        const auto check = checkSelectionSampling(c, 0);
        const std::set<std::int64_t> kept(recorded->kept.begin(), recorded->kept.end());
        for (std::size_t i = 0; i < 72; ++i)
            for (std::size_t j = 0; j < 72; ++j)
                if (check.labels[i] == check.labels[j] && kept.count(static_cast<std::int64_t>(i)) && !kept.count(static_cast<std::int64_t>(j)))
                    QVERIFY(recorded->scores[i] >= recorded->scores[j]);
        // What the window shows: six dropped and six kept images of each class, class-major, with the class names.
        QCOMPARE(recorded->labels, check.labels);
        QCOMPARE(recorded->classNames.size(), std::size_t(3));
        QCOMPARE(recorded->droppedExamples.count, 18);
        QCOMPARE(recorded->keptExamples.count, 18);
        QCOMPARE(recorded->keptExamples.height, 16);
        QCOMPARE(recorded->droppedExamples.data.size(), std::size_t(18 * 16 * 16));
        QCOMPARE(recorded->droppedExampleClasses, (std::vector<int>{0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2}));
        QCOMPARE(recorded->keptExampleClasses, recorded->droppedExampleClasses);
        // A run without selection records none.
        RunConfig plain = config("dm", "none", 0);
        Session p(plain);
        RunControl pc;
        QVERIFY(!loadRunSelection(p.run(pc).runDir).has_value());
    }

    void tooFewLeftNamesTheClassAndTheNumbers()
    {
        RunConfig c = config("dm", "drop-hardest", 0.9); // 24 − 21 = 3 left of each class
        c.params.set("realBatch", std::int64_t(8));
        const QString message = fixtures::errorMessage([&] {
            Session s(c);
            RunControl control;
            s.run(control);
        });
        QVERIFY2(message.contains(QLatin1String("leaves class")) && message.contains(QLatin1String("3 of its 24"))
                && message.contains(QLatin1String("realBatch")),
            qPrintable(message));
        c.params.set("realBatch", std::int64_t(2));
        c.ipc = 5;
        const QString ipc = fixtures::errorMessage([&] {
            Session s(c);
            RunControl control;
            s.run(control);
        });
        QVERIFY2(ipc.contains(QLatin1String("(ipc)")), qPrintable(ipc));
    }

    void badSettingsAreRefusedByName()
    {
        RunConfig c = config("dm", "drop-hardest", 1.0);
        QVERIFY(fixtures::errorMessage([&] { Session s(c); }).contains(QLatin1String("data.selectFraction")));
        c.data.selectFraction = std::nan("");
        QVERIFY(fixtures::errorMessage([&] { Session s(c); }).contains(QLatin1String("data.selectFraction")));
        c.data.selectFraction = 0.5;
        c.data.select = "drop-middle";
        QVERIFY(fixtures::errorMessage([&] { Session s(c); }).contains(QLatin1String("data.select")));
        c.data.select = "drop-hardest";
        c.data.selectFraction = 0;
        QVERIFY(fixtures::errorMessage([&] { Session s(c); }).contains(QLatin1String("drops nothing")));
    }

    // Scoring is a training of its own (minutes on a full data set): a stop keeps where it stands, and the next run
    // continues to the scores an uninterrupted scoring gives, bit for bit. Damaged progress only costs its time.
    void stoppedScoringContinuesToTheSameScores()
    {
        RunConfig c = config("dm", "drop-hardest", 0.5);
        // 600 training images: 3 batches of 256 per epoch, so the stop falls inside an epoch after the early scores.
        c.data.source = fixtures::writeToyIdxDataset(m_dir.filePath(QStringLiteral("data600")), 3, 200, 10).toStdString();
        c.scoresDir = m_dir.filePath(QStringLiteral("stopped")).toStdString();
        const QDir scores(QString::fromStdString(c.scoresDir));
        const QStringList progressFiles{QStringLiteral("*.progress.safetensors")};
        RunControl control;
        SessionCallbacks callbacks;
        callbacks.onStageProgress = [&](const StageProgress& p) {
            if (p.stage == "scoring the training images" && p.done == 3 + 2) // epoch 2, after its second batch
                control.requestStop();
        };
        bool cancelled = false;
        try {
            Session s(c);
            s.prepare(callbacks, &control);
        } catch (const Cancelled&) {
            cancelled = true;
        }
        QVERIFY(cancelled);
        QCOMPARE(scores.entryList(QDir::Files), scores.entryList(progressFiles, QDir::Files)); // progress, no scores yet
        QCOMPARE(scores.entryList(progressFiles, QDir::Files).size(), 1);

        const auto prepareLogged = [](const RunConfig& run) {
            QStringList log;
            SessionCallbacks logged;
            logged.onMessage = [&](const std::string& line) { log << QString::fromStdString(line); };
            RunControl go;
            Session s(run);
            s.prepare(logged, &go);
            return log.join(u'\n');
        };
        const QString continued = prepareLogged(c);
        QVERIFY2(continued.contains(QLatin1String("the scoring continues where it stopped (epoch 2 of 10, batch 3)")),
            qPrintable(continued));
        QCOMPARE(scores.entryList(progressFiles, QDir::Files).size(), 0);
        QCOMPARE(scores.entryList(QDir::Files).size(), 1);
        const QString scoresFile = scores.filePath(scores.entryList(QDir::Files).at(0));

        RunConfig whole = c;
        whole.scoresDir = m_dir.filePath(QStringLiteral("uninterrupted")).toStdString();
        prepareLogged(whole);
        const QDir wholeDir(QString::fromStdString(whole.scoresDir));
        QCOMPARE(wholeDir.entryList(QDir::Files).size(), 1);
        const QByteArray uninterrupted = fixtures::readFile(wholeDir.filePath(wholeDir.entryList(QDir::Files).at(0)));
        QVERIFY(!uninterrupted.isEmpty());
        QVERIFY(fixtures::readFile(scoresFile) == uninterrupted); // same key, same scores: the same bytes

        QVERIFY(QFile::remove(scoresFile));
        const QString damaged = QString(scoresFile).replace(QLatin1String(".safetensors"), QLatin1String(".progress.safetensors"));
        fixtures::writeFile(damaged, QByteArray(300, 'x'));
        const QString restarted = prepareLogged(c);
        QVERIFY2(restarted.contains(QLatin1String("discarded the scoring's kept progress")), qPrintable(restarted));
        QVERIFY(!QFile::exists(damaged));
        QVERIFY(fixtures::readFile(scoresFile) == uninterrupted);
    }

    void scoresOfAnotherDataSetAreRefused()
    {
        // A second toy data set of the same shape; its score file replaced by the first one's.
        const std::string other = fixtures::writeIdx(m_dir.filePath(QStringLiteral("other")),
            fixtures::makeToyImages(3, 24, 16, 1, 7), fixtures::makeToyImages(3, 10, 16, 1, 8))
                                      .toStdString();
        RunConfig c = config("dm", "drop-hardest", 0.5);
        c.scoresDir = m_dir.filePath(QStringLiteral("mine")).toStdString();
        checkSelectionSampling(c, 0);
        RunConfig d = c;
        d.data.source = other;
        d.scoresDir = m_dir.filePath(QStringLiteral("theirs")).toStdString();
        checkSelectionSampling(d, 0);
        const QString mine = QString::fromStdString(c.scoresDir) + u'/' + QDir(QString::fromStdString(c.scoresDir)).entryList(QDir::Files).at(0);
        const QString theirs = QString::fromStdString(d.scoresDir) + u'/' + QDir(QString::fromStdString(d.scoresDir)).entryList(QDir::Files).at(0);
        QVERIFY(QFileInfo(mine).fileName() != QFileInfo(theirs).fileName()); // another key, another file
        QVERIFY(QFile::remove(theirs));
        QVERIFY(QFile::copy(mine, theirs));
        const QString refused = fixtures::errorMessage([&] { checkSelectionSampling(d, 0); });
        QVERIFY2(refused.contains(QLatin1String("another data set")) && refused.contains(QFileInfo(theirs).fileName()),
            qPrintable(refused));
    }
};

QTEST_GUILESS_MAIN(TestSelection)
#include "tst_selection.moc"

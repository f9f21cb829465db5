// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "fixtures.h"

#include <distillery/error.h>
#include <distillery/runcontrol.h>
#include <distillery/session.h>
#include <distillery/syntheticio.h>

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <atomic>
#include <thread>

#include <unistd.h>

using namespace distillery::core;

class TestSession : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::string m_source;

    RunConfig config(const std::string& method = "random")
    {
        RunConfig c;
        applyPreset(c, "classroom");
        c.method = method;
        c.ipc = 3;
        c.device = "cpu";
        c.data.source = m_source;
        c.model.width = 8;
        c.model.depth = 2;
        c.eval.models = 1;
        c.eval.epochs = 10;
        c.outDir = m_dir.filePath(QStringLiteral("runs")).toStdString();
        return c;
    }

    QList<QJsonObject> metrics(const std::string& runDir)
    {
        QFile f(QString::fromStdString(runDir) + QStringLiteral("/metrics.jsonl"));
        if (!f.open(QIODevice::ReadOnly))
            return {};
        QList<QJsonObject> lines;
        for (const QByteArray& line : f.readAll().split('\n'))
            if (!line.isEmpty())
                lines.append(QJsonDocument::fromJson(line).object());
        return lines;
    }

    /// The folder of a finished `iterations`-iteration DM run without evaluation.
    std::string finishedDmRun(int iterations)
    {
        RunConfig c = config("dm");
        c.iterations = iterations;
        c.finalEval = false;
        Session session(c);
        RunControl control;
        return session.run(control).runDir;
    }

private Q_SLOTS:
    void initTestCase() { m_source = fixtures::writeToyIdxDataset(m_dir.filePath(QStringLiteral("toy"))).toStdString(); }

    void runFolderHoldsEverything()
    {
        Session session(config("herding"));
        RunControl control;
        const RunResult r = session.run(control);
        QVERIFY(!r.stopped);
        QCOMPARE(r.iterations, 3);
        QCOMPARE(r.device, std::string("cpu"));
        const QDir dir(QString::fromStdString(r.runDir));
        QVERIFY(dir.dirName().contains(QLatin1String("herding-ipc3")));
        for (const char* name :
            {"config.json", "metrics.jsonl", "synthetic.safetensors", "synthetic.npz", "grid.png", "checkpoint.safetensors"})
            QVERIFY2(dir.exists(QLatin1String(name)), name);

        // config.json is the resolved config and reloads to the same settings (seed included).
        const RunConfig saved = loadRunConfig(dir.filePath(QStringLiteral("config.json")).toStdString());
        QCOMPARE(toJson(saved), toJson(session.config()));
        QCOMPARE(saved.iterations, 3);
        QCOMPARE(saved.params.text("features"), std::string("pixels"));

        const auto lines = metrics(r.runDir);
        QCOMPARE(lines.size(), 4); // three steps and the final evaluation
        QCOMPARE(lines[0][QStringLiteral("type")].toString(), QStringLiteral("step"));
        QCOMPARE(lines[2][QStringLiteral("iteration")].toInt(), 3);
        QCOMPARE(lines[3][QStringLiteral("type")].toString(), QStringLiteral("eval"));
        QCOMPARE(r.evaluations.size(), std::size_t(1));
        QCOMPARE(r.evaluations[0].iteration, 3);

        const SyntheticSet set = loadSyntheticSet(r.runDir);
        QCOMPARE(set.images.count, 9);
        QCOMPARE(set.metadata.at("method"), std::string("herding"));
        QCOMPARE(set.metadata.at("seed"), std::string("0"));
        QCOMPARE(set.classNames.size(), std::size_t(3));
    }

    // The window records its own evaluations in a running run's metrics.jsonl: lines from both writers stay whole.
    void evaluationsAppendedBesideARunKeepEveryLineWhole()
    {
        RunConfig c = config("dm");
        c.iterations = 300;
        c.finalEval = false;
        Session session(c);
        RunControl control;
        SessionCallbacks callbacks;
        std::string runDir;
        std::thread writer;
        std::atomic<int> appended{0};
        callbacks.onMessage = [](const std::string&) {};
        callbacks.onStep = [&](const StepStats& s) {
            if (s.iteration == 1) {
                runDir = session.runDir();
                writer = std::thread([&, dir = runDir] {
                    EvalResult r;
                    r.subject = "synthetic";
                    r.accuracies.assign(50, 0.5); // long lines, so a split one would show
                    r.mean = 0.5;
                    r.model = std::string(200, 'm');
                    for (int i = 0; i < 300; ++i) {
                        r.iteration = i;
                        appendRunEvaluation(dir, r);
                        ++appended;
                    }
                });
            }
        };
        session.run(control, callbacks);
        writer.join();
        QCOMPARE(appended.load(), 300);
        const QList<QJsonObject> lines = metrics(runDir);
        int steps = 0, evals = 0;
        for (const QJsonObject& line : lines) {
            QVERIFY(!line.isEmpty()); // every line parses
            steps += line.value(QStringLiteral("type")).toString() == QLatin1String("step");
            evals += line.value(QStringLiteral("type")).toString() == QLatin1String("eval");
        }
        QCOMPARE(steps, 300);
        QCOMPARE(evals, 300);
        const RunHistory history = loadRunHistory(runDir);
        QCOMPARE(history.evaluations.size(), std::size_t(300));
        QCOMPARE(history.evaluations.back().model, std::string(200, 'm'));

        const QString error = fixtures::errorMessage([&] { appendRunEvaluation(m_dir.filePath(QStringLiteral("toy")).toStdString(), EvalResult{}); });
        QVERIFY2(error.contains(QLatin1String("not a run folder")), qPrintable(error));
    }

    void sameSeedSameSet()
    {
        RunConfig c = config("random");
        c.outDir = "";
        c.finalEval = false;
        c.seed = 11;
        auto runOnce = [](const RunConfig& rc) {
            Session s(rc);
            RunControl control;
            s.run(control);
            return s.synthetic();
        };
        const SyntheticSet a = runOnce(c);
        const SyntheticSet b = runOnce(c);
        QCOMPARE(a.initIndices, b.initIndices);
        QCOMPARE(a.images.data, b.images.data);
        c.seed = 12;
        QVERIFY(runOnce(c).initIndices != a.initIndices);
    }

    void evaluationsDoNotChangeTheResult()
    {
        // Monitoring evaluations draw random numbers too; the per-step reseeding keeps the run's own stream.
        RunConfig c = config("random");
        c.outDir = "";
        c.finalEval = false;
        RunConfig monitored = c;
        monitored.evalEvery = 1;
        Session plain(c), watched(monitored);
        RunControl control1, control2;
        plain.run(control1);
        const RunResult r = watched.run(control2);
        QCOMPARE(r.evaluations.size(), std::size_t(2)); // after iterations 1 and 2 (the last one is final)
        QCOMPARE(watched.synthetic().initIndices, plain.synthetic().initIndices);
    }

    void stopKeepsTheCheckpoint()
    {
        RunConfig c = config("random");
        Session session(c);
        const RunResult r = fixtures::runStoppingAfter(session, 2);
        QVERIFY(r.stopped);
        QCOMPARE(r.iterations, 2);
        QVERIFY(r.evaluations.empty()); // a stopped run is not evaluated
        const SyntheticSet kept = loadSyntheticSet(r.runDir + "/checkpoint.safetensors");
        QCOMPARE(kept.images.count, 6);
        QCOMPARE(kept.metadata.at("iteration"), std::string("2"));
    }

    void resumedRunEqualsUninterruptedRun_data()
    {
        QTest::addColumn<QString>("method");
        QTest::newRow("dm") << QStringLiteral("dm");
        QTest::newRow("dsa") << QStringLiteral("dsa");
    }

    void resumedRunEqualsUninterruptedRun()
    {
        // Stop after 3 of 6 iterations, continue from the run folder: the same set as 6 iterations in one go. This
        // needs the images' momentum in the checkpoint (without it the sets differ) and the per-iteration seeds.
        QFETCH(QString, method);
        RunConfig c = config(method.toStdString());
        c.ipc = 2;
        c.iterations = 6;
        c.finalEval = false;
        c.params.set("realBatch", std::int64_t(4));
        if (method != QLatin1String("dm")) {
            c.params.set("outerLoops", std::int64_t(2));
            c.params.set("innerLoops", std::int64_t(2));
        }
        c.seed = 5;

        Session whole(c);
        RunControl wholeControl;
        whole.run(wholeControl);

        Session first(c);
        const RunResult stopped = fixtures::runStoppingAfter(first, 3);
        QVERIFY(stopped.stopped);
        QCOMPARE(stopped.iterations, 3);
        QVERIFY(QFile::exists(QString::fromStdString(stopped.runDir) + QStringLiteral("/checkpoint-state.safetensors")));
        // A step logged after the checkpoint (as when a crash comes between checkpoints) is dropped on resume.
        {
            QFile f(QString::fromStdString(stopped.runDir) + QStringLiteral("/metrics.jsonl"));
            QVERIFY(f.open(QIODevice::Append));
            f.write("{\"type\":\"step\",\"iteration\":4,\"loss\":1.0,\"seconds\":9.0}\n{\"type\":\"step\",\"itera");
            // Fields of the wrong type (issue 16, defect 9: resuming died with a raw JSON exception): skipped.
            f.write("\n{\"type\":\"step\",\"iteration\":\"seven\",\"loss\":1.0}\n{\"type\":\"eval\",\"iteration\":1e300,\"mean\":0.5}\n");
        }

        Session resumed(loadRunFolderConfig(stopped.runDir), stopped.runDir);
        RunControl resumedControl;
        const RunResult r = resumed.run(resumedControl);
        QCOMPARE(resumed.startIteration(), 3);
        QVERIFY(!r.stopped);
        QCOMPARE(r.iterations, 6);
        QCOMPARE(r.runDir, stopped.runDir);
        QCOMPARE(resumed.synthetic().images.data, whole.synthetic().images.data);
        QCOMPARE(resumed.synthetic().metadata.at("iteration"), std::string("6"));

        QList<int> steps;
        for (const QJsonObject& line : metrics(r.runDir))
            if (line.value(QStringLiteral("type")).toString() == QStringLiteral("step"))
                steps.append(line.value(QStringLiteral("iteration")).toInt());
        QCOMPARE(steps, QList<int>({1, 2, 3, 4, 5, 6}));

        // The folder's history, as the window shows it when continuing or opening the run.
        const RunHistory history = loadRunHistory(r.runDir);
        QCOMPARE(history.steps.size(), std::size_t(6));
        QCOMPARE(history.steps.back().iteration, 6);
        QCOMPARE(history.steps.back().totalIterations, 6);
        QVERIFY(!history.steps.back().lossName.empty());
        QCOMPARE(history.steps.back().classTerms.size(), std::size_t(3));
        QVERIFY(history.steps.back().elapsedSeconds >= history.steps.front().elapsedSeconds);
        QVERIFY(history.evaluations.empty()); // finalEval is off
    }

    /// The iteration of the run folder's checkpoint (0 when it has none yet).
    static int checkpointNow(const std::string& dir) { return runFolderCheckpointIteration(dir); }

    // Issue 16, defect 4: the first checkpoint came at iteration 100, so a kill before it lost the whole run.
    void checkpointsComeEarlyThenByCountOrTime_data()
    {
        QTest::addColumn<double>("seconds");
        QTest::addColumn<QList<int>>("expected"); // the checkpoint on disk as each iteration is reported
        QTest::newRow("count rule only") << 0.0 << QList<int>({0, 1, 1, 1, 1});
        QTest::newRow("every moment") << 1e-9 << QList<int>({0, 1, 2, 3, 4});
    }

    void checkpointsComeEarlyThenByCountOrTime()
    {
        QFETCH(double, seconds);
        QFETCH(QList<int>, expected);
        RunConfig c = config("dm");
        c.iterations = 5;
        c.finalEval = false;
        c.params.set("realBatch", std::int64_t(4));
        c.checkpointEvery = 100;
        c.checkpointSeconds = seconds;
        Session session(c);
        session.prepare();
        const std::string dir = session.runDir();
        QList<int> seen;
        SessionCallbacks callbacks;
        callbacks.onStep = [&](const StepStats&) { seen.append(checkpointNow(dir)); };
        RunControl control;
        session.run(control, callbacks);
        QCOMPARE(seen, expected);
        QCOMPARE(checkpointNow(dir), 5);
        QVERIFY(QDir(QString::fromStdString(dir)).entryList({QStringLiteral("*.partial*")}, QDir::Files).isEmpty());
    }

    // Issue 16, defect 4: a run killed before its first iteration (while loading or preparing) could not be continued.
    void aRunKilledBeforeItsFirstIterationStartsAgainInItsFolder()
    {
        RunConfig c = config("dm");
        c.iterations = 3;
        c.finalEval = false;
        c.params.set("realBatch", std::int64_t(4));
        std::string dir;
        {
            Session killed(c);
            killed.prepare(); // the folder and config.json exist, no iteration ran
            dir = killed.runDir();
        }
        QCOMPARE(checkpointNow(dir), 0);
        // What a kill in the middle of a checkpoint write leaves: a temporary file nothing may read.
        fixtures::writeFile(QString::fromStdString(dir) + QStringLiteral("/checkpoint.partial.safetensors"), QByteArray(100, 'x'));
        Session resumed(loadRunFolderConfig(dir), dir);
        std::vector<std::string> said;
        SessionCallbacks callbacks;
        callbacks.onMessage = [&](const std::string& line) { said.push_back(line); };
        RunControl control;
        const RunResult r = resumed.run(control, callbacks);
        QCOMPARE(r.runDir, dir);
        QCOMPARE(r.iterations, 3);
        QCOMPARE(resumed.startIteration(), 0);
        QVERIFY(std::any_of(said.begin(), said.end(), [](const std::string& l) { return l.find("no checkpoint yet") != std::string::npos; }));
        QCOMPARE(checkpointNow(dir), 3);
        QVERIFY(!QFile::exists(QString::fromStdString(dir) + QStringLiteral("/checkpoint.partial.safetensors")));
    }

    // Issue 16, defect 9: a truncated checkpoint-state blocked the resume that a missing one allowed.
    void damagedResumeStateCountsAsMissing()
    {
        RunConfig c = config("dm");
        c.iterations = 4;
        c.finalEval = false;
        c.params.set("realBatch", std::int64_t(4));
        Session first(c);
        const RunResult stopped = fixtures::runStoppingAfter(first, 2);
        const QString state = QString::fromStdString(stopped.runDir) + QStringLiteral("/checkpoint-state.safetensors");
        QFile f(state);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.resize(f.size() / 2));
        f.close();
        Session resumed(loadRunFolderConfig(stopped.runDir), stopped.runDir);
        std::vector<std::string> said;
        SessionCallbacks callbacks;
        callbacks.onMessage = [&](const std::string& line) { said.push_back(line); };
        RunControl control;
        QCOMPARE(resumed.run(control, callbacks).iterations, 4);
        QVERIFY(std::any_of(said.begin(), said.end(), [](const std::string& l) { return l.find("momentum restarts") != std::string::npos; }));
    }

    void resumeRefusesAnotherRunOrAFinishedOne()
    {
        const std::string dir = finishedDmRun(2);

        // Finished: nothing to continue unless more iterations are asked for.
        {
            Session again(loadRunFolderConfig(dir), dir);
            QVERIFY_THROWS_EXCEPTION(Error, again.prepare());
        }
        // Another IPC: the checkpoint is not this run's.
        {
            RunConfig other = loadRunFolderConfig(dir);
            other.iterations = 4;
            other.ipc = 2;
            Session wrong(other, dir);
            try {
                wrong.prepare();
                QFAIL("resuming with another IPC was accepted");
            } catch (const Error& e) {
                QVERIFY2(QString::fromUtf8(e.what()).contains(QLatin1String("ipc")), e.what());
            }
        }
        // More iterations: continues from 2.
        {
            RunConfig more = loadRunFolderConfig(dir);
            more.iterations = 4;
            Session longer(more, dir);
            RunControl c2;
            QCOMPARE(longer.run(c2).iterations, 4);
            QCOMPARE(loadRunFolderConfig(dir).iterations, 4);
        }
        // A checkpoint gone from a folder whose metrics record iterations: refused (starting over would lose them).
        QFile::remove(QString::fromStdString(dir) + QStringLiteral("/checkpoint.safetensors"));
        {
            RunConfig more = loadRunFolderConfig(dir);
            more.iterations = 8;
            Session broken(more, dir);
            const QString message = fixtures::errorMessage([&] { broken.prepare(); });
            QVERIFY2(message.contains(QLatin1String("no checkpoint.safetensors")) && message.contains(QLatin1String("4 iterations")),
                qPrintable(message));
        }
        QVERIFY_THROWS_EXCEPTION(Error, loadRunFolderConfig(m_dir.filePath(QStringLiteral("nowhere")).toStdString()));
    }

    // A run cut off during its final evaluation (a time limit around the process, a crash) has all its iterations;
    // continuing it runs that evaluation, once.
    void resumeEvaluatesARunCutDuringItsFinalEvaluation()
    {
        RunConfig c = config("dm");
        c.iterations = 2;
        c.eval.models = 1;
        Session first(c);
        RunControl control;
        SessionCallbacks callbacks;
        callbacks.onEvalProgress = [&](const EvalProgress&) { control.requestStop(); };
        const RunResult cut = first.run(control, callbacks);
        QVERIFY(cut.stopped);
        QCOMPARE(cut.iterations, 2);
        QVERIFY(cut.evaluations.empty());
        QVERIFY(loadRunHistory(cut.runDir).evaluations.empty());
        QVERIFY(runFolderNeedsFinalEvaluation(cut.runDir));

        Session again(loadRunFolderConfig(cut.runDir), cut.runDir);
        RunControl control2;
        const RunResult evaluated = again.run(control2);
        QVERIFY(!evaluated.stopped);
        QCOMPARE(evaluated.iterations, 2);
        QCOMPARE(again.startIteration(), 2);
        QCOMPARE(evaluated.evaluations.size(), std::size_t(1));
        QCOMPARE(evaluated.evaluations[0].iteration, 2);
        const RunHistory history = loadRunHistory(cut.runDir);
        QCOMPARE(history.evaluations.size(), std::size_t(1));
        QCOMPARE(history.steps.size(), std::size_t(2));

        // Evaluated now: a third call has nothing left to do.
        QVERIFY(!runFolderNeedsFinalEvaluation(cut.runDir));
        Session third(loadRunFolderConfig(cut.runDir), cut.runDir);
        QVERIFY_THROWS_EXCEPTION(Error, third.prepare());
    }

    void aRunFolderIsWrittenByOneProcessAtATime()
    {
        const std::string dir = finishedDmRun(2);
        const QString lock = QString::fromStdString(dir) + QStringLiteral("/run.lock");
        QVERIFY2(!QFile::exists(lock), "a finished session leaves no lock behind");

        auto writeLock = [&](qint64 pid) {
            QFile f(lock);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(QByteArray::number(pid) + " someone\n");
        };
        RunConfig more = loadRunFolderConfig(dir);
        more.iterations = 4;
        // A live process (the parent of this test: the shell or ctest) holds the folder: refused, nothing touched.
        writeLock(static_cast<qint64>(getppid()));
        {
            Session busy(more, dir);
            try {
                busy.prepare();
                QFAIL("a folder in use by a live process was taken");
            } catch (const Error& e) {
                QVERIFY2(QString::fromUtf8(e.what()).contains(QLatin1String("in use")), e.what());
            }
        }
        QCOMPARE(loadRunHistory(dir).steps.size(), std::size_t(2));
        // The holder is gone (a crash): the lock is taken over and removed at the end.
        QProcess gone;
        gone.start(QStringLiteral("true"), {});
        QVERIFY(gone.waitForFinished());
        writeLock(gone.processId() > 0 ? gone.processId() : 999999);
        Session resumed(more, dir);
        RunControl c2;
        QCOMPARE(resumed.run(c2).iterations, 4);
        QVERIFY(!QFile::exists(lock));
    }

    void pauseAndSingleStep()
    {
        // The loop of a session: next() blocks while paused, grants single steps, and ends on stop.
        RunControl control;
        control.setPaused(true);
        std::atomic<int> passed{0};
        std::thread worker([&] {
            while (control.next() == RunControl::Next::Step)
                ++passed;
        });
        QTest::qWait(50);
        QCOMPARE(passed.load(), 0); // paused: nothing gets through
        control.requestSingleStep();
        QTRY_COMPARE(passed.load(), 1);
        QTest::qWait(50);
        QCOMPARE(passed.load(), 1); // exactly one
        control.requestStop(); // wakes the paused worker, which ends
        worker.join();
        QCOMPARE(passed.load(), 1);
    }

    void badInputFailsBeforeRunning()
    {
        RunConfig c = config();
        c.data.source = "idx:" + m_dir.filePath(QStringLiteral("nothing-here")).toStdString();
        Session session(c);
        RunControl control;
        try {
            session.run(control);
            QFAIL("no error");
        } catch (const Error& e) {
            QVERIFY(QString::fromStdString(e.what()).contains(QLatin1String("nothing-here: folder not found")));
        }
        c = config();
        c.ipc = 0;
        QVERIFY_THROWS_EXCEPTION(Error, Session{c});
    }
};

QTEST_GUILESS_MAIN(TestSession)
#include "tst_session.moc"

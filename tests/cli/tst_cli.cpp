// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// distillery-cli end to end, as a user or a script runs it.
#include "fixtures.h"

#include <distillery/syntheticio.h>
#include <distillery/syntheticset.h>

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QFile>
#include <QImage>
#include <QProcess>

#include <cmath>
#include <QTemporaryDir>
#include <QTest>

class TestCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_source;

    struct Result
    {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };

    Result cli(const QStringList& args, int timeoutMs = 120000)
    {
        QProcess p;
        p.start(QStringLiteral(DISTILLERY_CLI), args);
        if (!p.waitForFinished(timeoutMs)) {
            p.kill();
            p.waitForFinished();
        }
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(), p.readAllStandardError()};
    }

    QStringList tinyRun(const QString& method) const
    {
        return {QStringLiteral("distill"), QStringLiteral("--dataset"), m_source, QStringLiteral("--method"), method,
            QStringLiteral("--ipc"), QStringLiteral("2"), QStringLiteral("--device"), QStringLiteral("cpu"),
            QStringLiteral("--width"), QStringLiteral("8"), QStringLiteral("--eval-models"), QStringLiteral("1"),
            QStringLiteral("--eval-epochs"), QStringLiteral("20"), QStringLiteral("--out"), m_dir.filePath(QStringLiteral("runs"))};
    }

private Q_SLOTS:
    void initTestCase() { m_source = fixtures::writeToyIdxDataset(m_dir.filePath(QStringLiteral("toy"))); }

    void helpOnEverySubcommand_data()
    {
        QTest::addColumn<QString>("command");
        QTest::newRow("top") << QString();
        QTest::newRow("info") << QStringLiteral("info");
        QTest::newRow("distill") << QStringLiteral("distill");
        QTest::newRow("eval") << QStringLiteral("eval");
        QTest::newRow("bench") << QStringLiteral("bench");
        QTest::newRow("privacy") << QStringLiteral("privacy");
        QTest::newRow("experts") << QStringLiteral("experts");
        QTest::newRow("experts build") << QStringLiteral("experts build");
        QTest::newRow("animate") << QStringLiteral("animate");
    }

    void helpOnEverySubcommand()
    {
        QFETCH(QString, command);
        QStringList args;
        if (!command.isEmpty())
            args << command.split(u' ');
        args << QStringLiteral("--help");
        const Result r = cli(args);
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("Usage") || r.out.contains("usage"));
        if (command == QLatin1String("distill"))
            QVERIFY(r.out.contains("--ipc") && r.out.contains("--preset") && r.out.contains("--seed"));
    }

    void infoAsJson()
    {
        const Result r = cli({QStringLiteral("info"), QStringLiteral("--json"), QStringLiteral("--dataset"), m_source});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QVERIFY(o.contains(QStringLiteral("cuda_available")));
        QVERIFY2(o[QStringLiteral("features")].toString().contains(QStringLiteral("fused CUDA kernels")),
            "info names whether the fused CUDA kernels are built in");
        QCOMPARE(o[QStringLiteral("dataset")][QStringLiteral("classes")].toArray().size(), 3);
        QVERIFY(o[QStringLiteral("methods")].toArray().size() >= 3);
        // Every method lists its parameters, generated from their declarations, with defaults per preset and IPC.
        QJsonObject dc;
        for (const auto& m : o[QStringLiteral("methods")].toArray())
            if (m.toObject()[QStringLiteral("name")].toString() == QLatin1String("dc"))
                dc = m.toObject();
        QJsonObject outer;
        for (const auto& p : dc[QStringLiteral("parameters")].toArray())
            if (p.toObject()[QStringLiteral("key")].toString() == QLatin1String("outerLoops"))
                outer = p.toObject();
        QCOMPARE(outer[QStringLiteral("flag")].toString(), QStringLiteral("--outer-loops"));
        QCOMPARE(outer[QStringLiteral("kind")].toString(), QStringLiteral("whole number"));
        QString paperIpc50;
        for (const auto& d : outer[QStringLiteral("defaults")].toArray())
            if (d.toObject()[QStringLiteral("preset")].toString() == QLatin1String("paper")
                && d.toObject()[QStringLiteral("ipc")].toInt() == 50)
                paperIpc50 = d.toObject()[QStringLiteral("value")].toString();
        QCOMPARE(paperIpc50, QStringLiteral("50")); // the reference's (outer, inner) = (50, 10) at IPC 50
    }

    // Issue 12: a method's parameters are its own; the options are generated and checked against the declarations.
    void parameterOptionsFollowTheDeclarations()
    {
        QStringList args = tinyRun(QStringLiteral("dsa"));
        args << QStringLiteral("--iterations") << QStringLiteral("1") << QStringLiteral("--no-eval")
             << QStringLiteral("--lr-img") << QStringLiteral("0.05") // the old name still works
             << QStringLiteral("--outer-loops") << QStringLiteral("2") << QStringLiteral("--real-batch")
             << QStringLiteral("4") << QStringLiteral("--json") << QStringLiteral("--quiet");
        const Result r = cli(args);
        QCOMPARE(r.exitCode, 0);
        const QJsonObject params
            = QJsonDocument::fromJson(r.out).object()[QStringLiteral("config")][QStringLiteral("params")].toObject();
        QCOMPARE(params[QStringLiteral("lrImage")].toDouble(), 0.05);
        QCOMPARE(params[QStringLiteral("outerLoops")].toInt(), 2);
        QCOMPARE(params[QStringLiteral("innerLoops")].toInt(), 1); // auto: IPC 2 takes IPC 1's row, capped
        QVERIFY(!params.contains(QStringLiteral("features"))); // not DSA's

        auto lastError = [](const Result& res) { return QString::fromUtf8(res.err).trimmed().split(u'\n').last(); };
        QStringList dm = tinyRun(QStringLiteral("dm"));
        const Result notDms = cli(dm + QStringList{QStringLiteral("--outer-loops"), QStringLiteral("3")});
        QVERIFY(notDms.exitCode != 0);
        QVERIFY2(lastError(notDms).contains(QLatin1String("--outer-loops: method dm has no such parameter")),
            qPrintable(lastError(notDms)));
        for (const char* bad : {"nan", "0", "-1", "1e9"}) {
            const Result r2 = cli(dm + QStringList{QStringLiteral("--lr-image"), QString::fromLatin1(bad)});
            QVERIFY(r2.exitCode != 0);
            QVERIFY2(lastError(r2).startsWith(QLatin1String("distillery-cli: error: --lr-image:")), qPrintable(lastError(r2)));
        }
        const Result fraction = cli(dm + QStringList{QStringLiteral("--real-batch"), QStringLiteral("1.5")});
        QVERIFY2(lastError(fraction).contains(QLatin1String("not a whole number")), qPrintable(lastError(fraction)));
    }

    void expertsBuildListRemove()
    {
        const QString experts = m_dir.filePath(QStringLiteral("experts"));
        const QStringList dir{QStringLiteral("--experts-dir"), experts};
        // The same options as distill; the method defaults to mtt.
        const Result built = cli(QStringList{QStringLiteral("experts"), QStringLiteral("build"), QStringLiteral("--dataset"), m_source,
                                     QStringLiteral("--device"), QStringLiteral("cpu"), QStringLiteral("--width"), QStringLiteral("8"),
                                     QStringLiteral("--experts"), QStringLiteral("2"), QStringLiteral("--max-start-epoch"),
                                     QStringLiteral("1")}
            + dir);
        QVERIFY2(built.exitCode == 0, built.err.constData());
        QVERIFY2(built.err.contains("0 of 2 found") && built.err.contains("MB on disk"), built.err.constData());
        QCOMPARE(QString::fromUtf8(built.out).trimmed(), experts);

        const Result listed = cli(QStringList{QStringLiteral("experts"), QStringLiteral("list"), QStringLiteral("--json")} + dir);
        QCOMPARE(listed.exitCode, 0);
        const QJsonArray entries = QJsonDocument::fromJson(listed.out).array();
        QCOMPARE(entries.size(), 1);
        QCOMPARE(entries[0][QStringLiteral("experts")].toInt(), 2);
        QCOMPARE(entries[0][QStringLiteral("epochs")].toInt(), 2);

        const Result notForDm = cli(QStringList{QStringLiteral("experts"), QStringLiteral("build"), QStringLiteral("--method"),
                                        QStringLiteral("dm"), QStringLiteral("--dataset"), m_source}
            + dir);
        QCOMPARE(notForDm.exitCode, 1);
        QVERIFY(notForDm.err.contains("uses no expert trajectories"));

        const Result removed = cli(QStringList{QStringLiteral("experts"), QStringLiteral("remove"),
                                       entries[0][QStringLiteral("id")].toString()}
            + dir);
        QCOMPARE(removed.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(cli(QStringList{QStringLiteral("experts"), QStringLiteral("list"), QStringLiteral("--json")} + dir).out)
                     .array()
                     .size(),
            0);
        QCOMPARE(cli(QStringList{QStringLiteral("experts"), QStringLiteral("remove"), QStringLiteral("gone")} + dir).exitCode, 1);
    }

    void distillThenEvaluate()
    {
        const Result r = cli(tinyRun(QStringLiteral("herding")) << QStringLiteral("--json"));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        const QString runDir = o[QStringLiteral("run_dir")].toString();
        QVERIFY(QDir(runDir).exists(QStringLiteral("synthetic.safetensors")));
        QCOMPARE(o[QStringLiteral("iterations")].toInt(), 2);
        const QJsonArray evaluations = o[QStringLiteral("evaluations")].toArray();
        QCOMPARE(evaluations.size(), 1);
        QVERIFY(evaluations[0][QStringLiteral("mean")].toDouble() > 0.5);

        // Without --json the run folder's path is the last line on stdout.
        const Result plain = cli(tinyRun(QStringLiteral("random")) << QStringLiteral("--no-eval"));
        QCOMPARE(plain.exitCode, 0);
        const QString last = QString::fromUtf8(plain.out).trimmed().split(u'\n').last();
        QVERIFY2(QDir(last).exists(QStringLiteral("config.json")), qPrintable(last));

        // eval reads the set's own data set and network from its metadata.
        const Result e = cli({QStringLiteral("eval"), runDir + QStringLiteral("/synthetic.safetensors"),
            QStringLiteral("--models"), QStringLiteral("2"), QStringLiteral("--epochs"), QStringLiteral("10"),
            QStringLiteral("--device"), QStringLiteral("cpu"), QStringLiteral("--json")});
        QVERIFY2(e.exitCode == 0, e.err.constData());
        const QJsonObject eo = QJsonDocument::fromJson(e.out).object();
        QCOMPARE(eo[QStringLiteral("accuracies")].toArray().size(), 2);
        QCOMPARE(eo[QStringLiteral("train_images")].toInt(), 6);
        QCOMPARE(eo[QStringLiteral("dataset")].toString(), m_source);

        // The config written by the run reproduces the same set.
        const Result again = cli({QStringLiteral("distill"), QStringLiteral("--config"), runDir + QStringLiteral("/config.json"),
            QStringLiteral("--no-eval"), QStringLiteral("--json")});
        QCOMPARE(again.exitCode, 0);
        const QString againDir = QJsonDocument::fromJson(again.out).object()[QStringLiteral("run_dir")].toString();
        QVERIFY(againDir != runDir);
        const auto first = distillery::core::loadSyntheticSet(runDir.toStdString());
        const auto second = distillery::core::loadSyntheticSet(againDir.toStdString());
        QCOMPARE(second.initIndices, first.initIndices);
        QCOMPARE(second.images.data, first.images.data);
    }

    // Issue 15, item 3: a run's formation as an animated GIF or a PNG strip, from its timeline.
    void animateDrawsTheFormation()
    {
        const Result run = cli(tinyRun(QStringLiteral("dm")) << QStringLiteral("--iterations") << QStringLiteral("4")
                                                           << QStringLiteral("--no-eval") << QStringLiteral("--json"));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QString runDir = QJsonDocument::fromJson(run.out).object()[QStringLiteral("run_dir")].toString();
        const QString gif = m_dir.filePath(QStringLiteral("formation.gif"));
        const Result r = cli({QStringLiteral("animate"), runDir, QStringLiteral("--out"), gif, QStringLiteral("--fps"),
            QStringLiteral("5")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("5 frames"), r.out.constData()); // iterations 0 to 4
        QVERIFY(fixtures::readFile(gif).startsWith("GIF89a"));
        const QString strip = m_dir.filePath(QStringLiteral("formation.png"));
        const Result s = cli({QStringLiteral("animate"), runDir, QStringLiteral("-o"), strip, QStringLiteral("--strip-frames"),
            QStringLiteral("3"), QStringLiteral("--quiet")});
        QVERIFY2(s.exitCode == 0, s.err.constData());
        QVERIFY(!QImage(strip).isNull());

        // Not a run: one line naming the folder, exit 1, nothing written.
        const QString nowhere = m_dir.filePath(QStringLiteral("toy"));
        const Result bad = cli({QStringLiteral("animate"), nowhere, QStringLiteral("--out"), m_dir.filePath(QStringLiteral("x.gif"))});
        QCOMPARE(bad.exitCode, 1);
        QVERIFY2(bad.err.contains(nowhere.toUtf8()) && bad.err.contains("no timeline"), bad.err.constData());
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("x.gif"))));
    }

    // Issue 14, item 5: `eval --scores` runs the evaluations DD-Ranking's scores need and computes them from fractions.
    void evalScores()
    {
        const Result run = cli(tinyRun(QStringLiteral("random")) << QStringLiteral("--no-eval") << QStringLiteral("--json"));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QString runDir = QJsonDocument::fromJson(run.out).object()[QStringLiteral("run_dir")].toString();
        const QStringList scores{QStringLiteral("eval"), runDir, QStringLiteral("--scores"), QStringLiteral("--models"),
            QStringLiteral("1"), QStringLiteral("--epochs"), QStringLiteral("5"), QStringLiteral("--device"), QStringLiteral("cpu")};
        const Result r = cli(QStringList(scores) << QStringLiteral("--full-data-accuracy") << QStringLiteral("0.9")
                                                 << QStringLiteral("--json"));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        const QJsonObject in = o[QStringLiteral("inputs")].toObject();
        const QJsonObject sc = o[QStringLiteral("scores")].toObject();
        const auto v = [](const QJsonObject& j, const char* key) { return j[QString::fromLatin1(key)].toDouble(); };
        QCOMPARE(o[QStringLiteral("evaluations")].toArray().size(), 4); // set and random real, each with and without DSA
        QCOMPARE(v(in, "full_data"), 0.9);
        QCOMPARE(v(in, "synthetic_hard"), v(in, "synthetic")); // hard labels: the same evaluation
        QVERIFY(std::abs(v(sc, "ior") - (v(in, "synthetic") - v(in, "random"))) < 1e-12);
        QVERIFY(std::abs(v(sc, "hlr") - (0.9 - v(in, "synthetic_hard"))) < 1e-12);
        const auto normalised = [](double a) { return (std::exp(a) - std::exp(-1.0)) / (std::exp(1.0) - std::exp(-1.0)); };
        QVERIFY(std::abs(v(sc, "lrs") - normalised(0.5 * v(sc, "ior") - 0.5 * v(sc, "hlr"))) < 1e-12);
        const double beta = 0.5 * (v(in, "synthetic_augmented") - v(in, "random_augmented"))
            + 0.5 * (v(in, "synthetic_plain") - v(in, "random_plain"));
        QVERIFY(std::abs(v(sc, "ars") - normalised(beta)) < 1e-12);
        // Several random draws: the yardstick is their mean, each draw its own evaluation.
        const Result draws = cli(QStringList(scores) << QStringLiteral("--full-data-accuracy") << QStringLiteral("0.9")
                                                     << QStringLiteral("--random-draws") << QStringLiteral("3") << QStringLiteral("--json"));
        QVERIFY2(draws.exitCode == 0, draws.err.constData());
        const QJsonObject d = QJsonDocument::fromJson(draws.out).object();
        const QJsonArray runs = d[QStringLiteral("evaluations")].toArray();
        QCOMPARE(runs.size(), 8); // the set twice, and three random subsets with and without DSA
        double sum = 0;
        for (const auto& e : runs) {
            const QJsonObject eo = e.toObject();
            if (eo[QStringLiteral("subject")].toString() == QLatin1String("random real")
                && eo[QStringLiteral("augment")].toString() == d[QStringLiteral("evaluations")].toArray().first().toObject()[QStringLiteral("augment")].toString()) {
                sum += eo[QStringLiteral("mean")].toDouble();
            }
        }
        QVERIFY(std::abs(v(d[QStringLiteral("inputs")].toObject(), "random") - sum / 3) < 1e-9);
        QCOMPARE(d[QStringLiteral("inputs")].toObject()[QStringLiteral("random_draws")].toInt(), 3);
        // A percent is refused by name.
        const Result percent = cli(QStringList(scores) << QStringLiteral("--full-data-accuracy") << QStringLiteral("93.5"));
        QVERIFY(percent.exitCode != 0);
        QVERIFY2(percent.err.contains("--full-data-accuracy"), percent.err.constData());
    }

    // The speed switches of a run land in its config.json, so the run can be repeated with them.
    void speedSwitchesReachTheRunConfig()
    {
        const Result r = cli(tinyRun(QStringLiteral("dm"))
            << QStringLiteral("--iterations") << QStringLiteral("3") << QStringLiteral("--no-eval") << QStringLiteral("--bf16")
            << QStringLiteral("--no-tf32") << QStringLiteral("--no-cuda-graphs") << QStringLiteral("--no-fused-kernels")
            << QStringLiteral("--cpu-piece-mib") << QStringLiteral("8") << QStringLiteral("--json"));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QFile file(QJsonDocument::fromJson(r.out).object()[QStringLiteral("run_dir")].toString() + QStringLiteral("/config.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject performance = QJsonDocument::fromJson(file.readAll()).object()[QStringLiteral("performance")].toObject();
        QCOMPARE(performance[QStringLiteral("bf16")].toBool(true), true);
        QCOMPARE(performance[QStringLiteral("tf32")].toBool(true), false);
        QCOMPARE(performance[QStringLiteral("cudaGraphs")].toBool(true), false);
        QCOMPARE(performance[QStringLiteral("fusedKernels")].toBool(true), false);
        QCOMPARE(performance[QStringLiteral("channelsLast")].toBool(true), false);
        QCOMPARE(performance[QStringLiteral("cpuPieceMiB")].toInt(-1), 8);

        // An absurd budget is refused by name, before anything runs.
        const Result negative = cli(tinyRun(QStringLiteral("dm")) << QStringLiteral("--cpu-piece-mib") << QStringLiteral("-1"));
        QVERIFY(negative.exitCode != 0);
        QVERIFY2(negative.err.contains("cpu-piece-mib"), negative.err.constData());
    }

    void timeLimitThenResume()
    {
        // --time-limit stops cleanly (checkpoint kept, the way to continue printed); --resume finishes the run in the
        // same folder; trajectory settings cannot change on resume.
        QStringList args = tinyRun(QStringLiteral("dm"))
            << QStringLiteral("--iterations") << QStringLiteral("400") << QStringLiteral("--no-eval");
        const Result limited = cli(args << QStringLiteral("--time-limit") << QStringLiteral("0.0001"));
        QVERIFY2(limited.exitCode == 0, limited.err.constData());
        const QString out = QString::fromUtf8(limited.out);
        QVERIFY2(out.contains(QLatin1String("time limit reached")), qPrintable(out));
        const QString runDir = out.trimmed().split(u'\n').last();
        QVERIFY2(out.contains(QLatin1String("--resume ") + runDir), qPrintable(out));
        QVERIFY(QDir(runDir).exists(QStringLiteral("checkpoint.safetensors")));

        const Result changed = cli({QStringLiteral("distill"), QStringLiteral("--resume"), runDir, QStringLiteral("--ipc"),
            QStringLiteral("3")});
        QVERIFY(changed.exitCode != 0);
        QVERIFY2(changed.err.contains("--ipc cannot change when resuming"), changed.err.constData());

        const Result resumed = cli({QStringLiteral("distill"), QStringLiteral("--resume"), runDir, QStringLiteral("--no-eval"),
            QStringLiteral("--json")});
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(resumed.out).object();
        QCOMPARE(o[QStringLiteral("run_dir")].toString(), runDir);
        QCOMPARE(o[QStringLiteral("iterations")].toInt(), 400);
        QVERIFY(o[QStringLiteral("start_iteration")].toInt() >= 1);
        QVERIFY(o[QStringLiteral("start_iteration")].toInt() < 400);
        QCOMPARE(o[QStringLiteral("stopped")].toBool(), false);
    }

    void baselines()
    {
        const Result r = cli({QStringLiteral("eval"), QStringLiteral("--random"), QStringLiteral("2"), QStringLiteral("--dataset"),
            m_source, QStringLiteral("--width"), QStringLiteral("8"), QStringLiteral("--models"), QStringLiteral("1"),
            QStringLiteral("--epochs"), QStringLiteral("10"), QStringLiteral("--device"), QStringLiteral("cpu"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(QJsonDocument::fromJson(r.out).object()[QStringLiteral("subject")].toString(), QStringLiteral("random real"));
    }

    void privacyWritesJsonAndHtml()
    {
        const Result run = cli(tinyRun(QStringLiteral("random")) << QStringLiteral("--no-eval") << QStringLiteral("--json"));
        QCOMPARE(run.exitCode, 0);
        const QString runDir = QJsonDocument::fromJson(run.out).object()[QStringLiteral("run_dir")].toString();
        const Result r = cli({QStringLiteral("privacy"), runDir, QStringLiteral("--no-mia"), QStringLiteral("--device"),
            QStringLiteral("cpu"), QStringLiteral("--reference-size"), QStringLiteral("20"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QVERIFY(o[QStringLiteral("real_images")].toBool()); // a random real subset is made of training images
        QCOMPARE(o[QStringLiteral("images")].toArray().size(), 6);
        QVERIFY(o[QStringLiteral("images")].toArray().first()[QStringLiteral("flags")][QStringLiteral("exact_copy")].toBool());
        QVERIFY(QFile::exists(runDir + QStringLiteral("/privacy.json")));
        QVERIFY(QFile::exists(runDir + QStringLiteral("/privacy.html")));
    }

    void benchTimesIterations()
    {
        const Result r = cli({QStringLiteral("bench"), QStringLiteral("--method"), QStringLiteral("dm"), QStringLiteral("--ipc"),
            QStringLiteral("1"), QStringLiteral("--dataset"), m_source, QStringLiteral("--device"), QStringLiteral("cpu"),
            QStringLiteral("--width"), QStringLiteral("8"), QStringLiteral("--real-batch"), QStringLiteral("4"),
            QStringLiteral("--warmup"), QStringLiteral("1"), QStringLiteral("--iterations"), QStringLiteral("3"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o[QStringLiteral("step_ms")].toArray().size(), 3);
        QVERIFY(o[QStringLiteral("median_ms")].toDouble() > 0);
        QVERIFY(o[QStringLiteral("iterations_per_second")].toDouble() > 0);
        QCOMPARE(o[QStringLiteral("config")][QStringLiteral("params")][QStringLiteral("realBatch")].toInt(), 4);
    }

    void benchTimesAForward()
    {
        const QStringList common{QStringLiteral("bench"), QStringLiteral("--dataset"), m_source, QStringLiteral("--device"),
            QStringLiteral("cpu"), QStringLiteral("--width"), QStringLiteral("8"), QStringLiteral("--warmup"),
            QStringLiteral("0"), QStringLiteral("--iterations"), QStringLiteral("2"), QStringLiteral("--json")};
        const Result r = cli(common + QStringList{QStringLiteral("--forward"), QStringLiteral("12"), QStringLiteral("--test-split")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o[QStringLiteral("method")].toString(), QStringLiteral("forward"));
        QCOMPARE(o[QStringLiteral("images")].toInt(), 12);
        QCOMPARE(o[QStringLiteral("split")].toString(), QStringLiteral("test"));
        QCOMPARE(o[QStringLiteral("step_ms")].toArray().size(), 2);
        QVERIFY(o[QStringLiteral("median_ms")].toDouble() > 0);
        // The CPU's fused norm/ReLU/pool runs, and the same forward follows without it, for the ratio.
        QVERIFY(o[QStringLiteral("fused_kernels")].toBool());
        QCOMPARE(o[QStringLiteral("without_fused_kernels")][QStringLiteral("step_ms")].toArray().size(), 2);
        const Result stock = cli(common + QStringList{QStringLiteral("--forward"), QStringLiteral("12"), QStringLiteral("--no-fused")});
        QVERIFY2(stock.exitCode == 0, stock.err.constData());
        const QJsonObject so = QJsonDocument::fromJson(stock.out).object();
        QVERIFY(!so[QStringLiteral("fused_kernels")].toBool());
        QVERIFY(!so.contains(QStringLiteral("without_fused_kernels")));

        // bf16: the forward runs under bf16 autocast (on the CPU too) and says so.
        const Result low = cli(common + QStringList{QStringLiteral("--forward"), QStringLiteral("12"), QStringLiteral("--bf16")});
        QVERIFY2(low.exitCode == 0, low.err.constData());
        const QJsonObject lo = QJsonDocument::fromJson(low.out).object();
        QVERIFY(lo[QStringLiteral("bf16")].toBool());
        QVERIFY(lo[QStringLiteral("config")][QStringLiteral("performance")][QStringLiteral("bf16")].toBool());
        QVERIFY(lo[QStringLiteral("median_ms")].toDouble() > 0);

        const Result tooMany = cli(common + QStringList{QStringLiteral("--forward"), QStringLiteral("100000")});
        QVERIFY(tooMany.exitCode != 0);
        QVERIFY2(tooMany.err.contains("100000 images asked, the training split has"), tooMany.err.constData());
    }

    void selectionReachesTheRunFolder()
    {
        const Result r = cli(tinyRun(QStringLiteral("dm"))
            << QStringLiteral("--iterations") << QStringLiteral("2") << QStringLiteral("--no-eval") << QStringLiteral("--real-batch")
            << QStringLiteral("4") << QStringLiteral("--select")
            << QStringLiteral("drop-easiest:0.5") << QStringLiteral("--select-score") << QStringLiteral("early")
            << QStringLiteral("--scores-dir") << m_dir.filePath(QStringLiteral("scores")) << QStringLiteral("--json"));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.err.contains("data selection: kept 36 of 72 training images"), r.err.constData());
        const QString runDir = QJsonDocument::fromJson(r.out).object()[QStringLiteral("run_dir")].toString();
        QFile file(runDir + QStringLiteral("/config.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject data = QJsonDocument::fromJson(file.readAll()).object()[QStringLiteral("data")].toObject();
        QCOMPARE(data[QStringLiteral("select")].toString(), QStringLiteral("drop-easiest"));
        QCOMPARE(data[QStringLiteral("selectFraction")].toDouble(), 0.5);
        QCOMPARE(data[QStringLiteral("selectScore")].toString(), QStringLiteral("early"));
        QVERIFY(QFile::exists(runDir + QStringLiteral("/selection.safetensors")));
        QCOMPARE(QDir(m_dir.filePath(QStringLiteral("scores"))).entryList(QDir::Files).size(), 1);
    }

    void badInputIsOneLineAndNonZero_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("expected");
        QTest::newRow("missing folder") << QStringList{QStringLiteral("distill"), QStringLiteral("--dataset"),
            QStringLiteral("idx:/no/such/folder"), QStringLiteral("--device"), QStringLiteral("cpu")}
                                        << QStringLiteral("/no/such/folder: folder not found");
        QTest::newRow("ipc too large") << QStringList{QStringLiteral("distill"), QStringLiteral("--dataset"), m_source,
            QStringLiteral("--ipc"), QStringLiteral("500"), QStringLiteral("--device"), QStringLiteral("cpu")}
                                       << QStringLiteral("ipc: 500 images per class");
        QTest::newRow("unknown method") << QStringList{QStringLiteral("distill"), QStringLiteral("--method"), QStringLiteral("magic")}
                                        << QStringLiteral("unknown method");
        QTest::newRow("missing set") << QStringList{QStringLiteral("eval"), QStringLiteral("/no/set.safetensors")}
                                     << QStringLiteral("/no/set.safetensors: file not found");
        QTest::newRow("select without a share") << QStringList{QStringLiteral("distill"), QStringLiteral("--dataset"), m_source,
            QStringLiteral("--select"), QStringLiteral("drop-hardest:lots")} << QStringLiteral("is not RULE:FRACTION");
        QTest::newRow("select everything") << QStringList{QStringLiteral("distill"), QStringLiteral("--dataset"), m_source,
            QStringLiteral("--select"), QStringLiteral("drop-hardest:1.5")} << QStringLiteral("data.selectFraction");
        QTest::newRow("no cuda") << QStringList{QStringLiteral("eval"), QStringLiteral("--full"), QStringLiteral("--device"),
            QStringLiteral("cuda:7")} << QStringLiteral("device:");
    }

    void badInputIsOneLineAndNonZero()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, expected);
        const Result r = cli(args);
        QVERIFY(r.exitCode != 0);
        // Progress lines may come first; the error itself is the one last line.
        const QString err = QString::fromUtf8(r.err).trimmed().split(u'\n').last();
        QVERIFY2(err.contains(expected), qPrintable(err));
        QVERIFY2(err.startsWith(QLatin1String("distillery-cli: error:")), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"

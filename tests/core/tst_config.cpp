// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "fixtures.h"

#include <distillery/config.h>
#include <distillery/error.h>

#include <QTemporaryDir>
#include <QTest>

using namespace distillery::core;

class TestConfig : public QObject
{
    Q_OBJECT

private:
    QString errorOf(const std::function<void()>& fn) { return fixtures::errorMessage(fn); }

private Q_SLOTS:
    void jsonRoundTripKeepsEverySetting()
    {
        RunConfig c;
        applyPreset(c, "paper");
        c.method = "herding";
        c.ipc = 50;
        c.seed = 1234567890123ULL;
        c.data.source = "folder:/data/xrays";
        c.data.imageSize = 64;
        c.model.norm = "batch";
        c.params.lrImage = 0.25;
        c.eval.models = 7;
        c.performance.fusedKernels = false;
        c.performance.cudaGraphs = false;
        c.performance.bf16 = true;
        c.outDir = "";
        const RunConfig back = runConfigFromJson(toJson(c));
        QCOMPARE(toJson(back), toJson(c));
        QCOMPARE(back.seed, c.seed);
        QVERIFY(!back.performance.fusedKernels);
        QVERIFY(!back.performance.cudaGraphs);
        QVERIFY(back.performance.bf16);
        QCOMPARE(back.data.imageSize, 64);

        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("config.json")).toStdString();
        saveRunConfig(c, path);
        QCOMPARE(toJson(loadRunConfig(path)), toJson(c));
    }

    void presetsDiffer()
    {
        RunConfig classroom;
        applyPreset(classroom, "classroom");
        RunConfig paper;
        applyPreset(paper, "paper");
        QCOMPARE(classroom.model.width, 32);
        QCOMPARE(paper.model.width, 128);
        QVERIFY(classroom.eval.epochs > 0 && classroom.eval.epochs < 1000);
        QCOMPARE(paper.eval.epochs, 0); // left to the method's reference protocol
        EvalConfig open = paper.eval;
        resolveEvalProtocol(open, "none");
        QCOMPARE(open.epochs, 300);
        QCOMPARE(open.augment, std::string("none"));
        QVERIFY(errorOf([] {
            RunConfig c;
            applyPreset(c, "turbo");
        }).contains(QLatin1String("preset")));
    }

    void partialJsonKeepsDefaults()
    {
        const RunConfig c = runConfigFromJson(R"({"method": "kcenter", "eval": {"models": 3}})");
        QCOMPARE(c.method, std::string("kcenter"));
        QCOMPARE(c.eval.models, 3);
        QCOMPARE(c.ipc, RunConfig{}.ipc);
    }

    void badJsonNamesTheSetting()
    {
        QVERIFY(errorOf([] { runConfigFromJson(R"({"ipcc": 10})"); }).contains(QLatin1String("unknown setting ipcc")));
        QVERIFY(errorOf([] { runConfigFromJson(R"({"model": {"widht": 3}})"); })
                    .contains(QLatin1String("unknown setting model.widht")));
        QVERIFY(errorOf([] { runConfigFromJson(R"({"ipc": "ten"})"); }).contains(QLatin1String("ipc has the wrong type")));
        QVERIFY(errorOf([] { runConfigFromJson("{not json"); }).contains(QLatin1String("not valid JSON")));
        QVERIFY(errorOf([] { loadRunConfig("/nonexistent/config.json"); }).contains(QLatin1String("file not found")));
    }

    void validateNamesTheSetting()
    {
        auto errorFor = [this](const std::function<void(RunConfig&)>& change) {
            RunConfig c;
            change(c);
            return errorOf([&] { validate(c); });
        };
        QVERIFY(errorFor([](RunConfig&) {}).isEmpty());
        QVERIFY(errorFor([](RunConfig& c) { c.ipc = 0; }).startsWith(QLatin1String("ipc:")));
        QVERIFY(errorFor([](RunConfig& c) { c.method = "magic"; }).contains(QLatin1String("unknown method")));
        QVERIFY(errorFor([](RunConfig& c) { c.model.norm = "layer"; }).startsWith(QLatin1String("model.norm")));
        QVERIFY(errorFor([](RunConfig& c) { c.params.augment = "color_blur"; }).contains(QLatin1String("blur")));
        QVERIFY(errorFor([](RunConfig& c) { c.eval.models = 0; }).startsWith(QLatin1String("eval.models")));
        QVERIFY(errorFor([](RunConfig& c) { c.data.source.clear(); }).startsWith(QLatin1String("data.source")));
    }
};

QTEST_APPLESS_MAIN(TestConfig)
#include "tst_config.moc"

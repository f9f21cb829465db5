// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "fixtures.h"

#include <distillery/augment.h>
#include <distillery/config.h>
#include <distillery/error.h>
#include <distillery/methods.h>
#include <distillery/parameters.h>
#include <distillery/session.h>

#include <QTemporaryDir>
#include <QTest>

using namespace distillery::core;

class TestConfig : public QObject
{
    Q_OBJECT

private:
    QString errorOf(const std::function<void()>& fn) { return fixtures::errorMessage(fn); }

    /// A valid value of `spec` that is not its classroom default: a writer or reader that drops or mangles the
    /// parameter cannot give it back by accident.
    static ParamValue nonDefaultValue(const ParamSpec& spec)
    {
        const ParamValue usual = spec.defaultValue(ParamContext{});
        switch (spec.kind) {
        case ParamKind::Integer: {
            const auto v = static_cast<std::int64_t>(spec.max);
            return v == std::get<std::int64_t>(usual) ? static_cast<std::int64_t>(spec.min) : v;
        }
        case ParamKind::Real: {
            const double v = 0.123456789 * spec.max;
            return v == std::get<double>(usual) ? spec.min : v;
        }
        case ParamKind::Choice:
            for (const auto& c : spec.choices)
                if (ParamValue(c.value) != usual)
                    return c.value;
            return spec.choices.front().value;
        case ParamKind::Augmentation:
            return std::string("crop_flip");
        }
        return usual;
    }

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
        c.data.flips = "off";
        c.model.norm = "batch";
        c.params.set("features", std::string("convnet"));
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
        QCOMPARE(back.data.flips, std::string("off"));
        QCOMPARE(back.params, c.params);

        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("config.json")).toStdString();
        saveRunConfig(c, path);
        QCOMPARE(toJson(loadRunConfig(path)), toJson(c));
    }

    // Field by field against the declarations, not text against text: a parameter the writer forgets, or the
    // reader skips, fails here by name.
    void everyDeclaredParameterRoundTrips()
    {
        int checked = 0;
        for (const auto& method : availableMethods()) {
            RunConfig c;
            c.method = method.name;
            const std::vector<ParamSpec> specs = methodParameters(method.name);
            for (const auto& spec : specs)
                c.params.set(spec.key, nonDefaultValue(spec));
            validate(c);
            const RunConfig back = runConfigFromJson(toJson(c));
            for (const auto& spec : specs) {
                const QByteArray name = QByteArray::fromStdString(method.name + " params." + spec.key);
                QVERIFY2(back.params.has(spec.key), name.constData());
                QVERIFY2(checkedParamValue(spec, back.params.all().at(spec.key)) == c.params.all().at(spec.key),
                    name.constData());
                ++checked;
            }
            QCOMPARE(back.params.all().size(), specs.size()); // nothing added either
            // A request with every parameter on auto stays that way: auto is never written out as a value.
            RunConfig request;
            request.method = method.name;
            QVERIFY(runConfigFromJson(toJson(request)).params.empty());
        }
        QVERIFY(checked >= 9); // DM, DC, DSA, herding, k-center declare parameters
    }

    void resolvingFillsEveryDeclaredParameterAndKeepsWhatWasSet()
    {
        DatasetInfo digits;
        digits.dsaStrategy = kDsaStrategyNoFlip;
        digits.classNames = {"0", "1"};
        for (const auto& method : availableMethods()) {
            for (const char* preset : {"classroom", "paper"}) {
                RunConfig request;
                applyPreset(request, preset);
                request.method = method.name;
                const RunConfig resolved = resolveConfig(request, digits);
                for (const auto& spec : methodParameters(method.name))
                    QVERIFY2(resolved.params.has(spec.key), qPrintable(QString::fromStdString(method.name + " " + spec.key)));
                QVERIFY(resolved.iterations > 0);
                QVERIFY(resolved.eval.epochs > 0);
                QVERIFY(request.params.empty()); // the request itself is untouched
            }
        }
        RunConfig request;
        request.method = "dm";
        request.params.set("lrImage", 0.5);
        const RunConfig resolved = resolveConfig(request, digits);
        QCOMPARE(resolved.params.real("lrImage"), 0.5);
        QCOMPARE(resolved.params.text("augment"), std::string(kDsaStrategyNoFlip)); // the data's strategy
        QCOMPARE(resolved.params.text("init"), std::string("noise")); // DM's classroom default
        request.method = "dsa";
        request.params = {};
        QCOMPARE(resolveConfig(request, digits).params.text("init"), std::string("real"));
        request.method = "dc";
        QCOMPARE(resolveConfig(request, digits).params.text("augment"), std::string("none"));
    }

    // config.json files written before configVersion 2: one flat "params" object for every method, 0 and "" for
    // "the method's default". Both a resolved run folder's and a hand-written request must load.
    void configWrittenBeforeVersion2Loads()
    {
        const char* resolvedDm = R"({"checkpointEvery": 100,
            "data": {"color": "auto", "imageSize": 32, "source": "fashion-mnist", "splitSeed": 0, "testFraction": 0.2},
            "device": "auto",
            "eval": {"augment": "dsa", "batchSize": 256, "dsaStrategy": "color_crop_cutout_flip_scale_rotate",
                     "epochs": 1000, "lr": 0.01, "models": 5, "momentum": 0.9, "weightDecay": 0.0005},
            "evalEvery": 0, "finalEval": true, "ipc": 10, "iterations": 20000, "method": "dm",
            "model": {"activation": "relu", "arch": "convnet", "depth": 3, "norm": "instance", "pooling": "avg", "width": 128},
            "outDir": "runs",
            "params": {"augment": "color_crop_cutout_flip_scale_rotate", "featureEpochs": 0, "features": "", "init": "real",
                       "innerLoops": 0, "lrImage": 1.0, "lrNet": 0.0, "outerLoops": 0, "realBatch": 256},
            "performance": {"bf16": false, "channelsLast": false, "cudaGraphs": true, "cudnnBenchmark": true,
                            "fusedKernels": true, "tf32": true},
            "preset": "paper", "seed": 0, "snapshotEvery": 10, "threads": 0})";
        const RunConfig dm = runConfigFromJson(resolvedDm);
        QCOMPARE(dm.params.all().size(), std::size_t(4)); // DM's own four; the other methods' zeros are gone
        QCOMPARE(dm.params.text("init"), std::string("real"));
        QCOMPARE(dm.params.real("lrImage"), 1.0);
        QCOMPARE(dm.params.integer("realBatch"), std::int64_t(256));
        QCOMPARE(dm.params.text("augment"), std::string(kDsaStrategyDefault));
        QCOMPARE(dm.data.imageSize, 32); // what the old run used, kept
        validate(dm);

        // A coreset's old resolved config recorded init "real", which coresets never declared.
        const RunConfig herding = runConfigFromJson(
            R"({"method": "herding", "params": {"init": "real", "features": "convnet", "featureEpochs": 20, "lrImage": 0}})");
        QCOMPARE(herding.params.all().size(), std::size_t(2));
        QCOMPARE(herding.params.text("features"), std::string("convnet"));
        QCOMPARE(herding.params.integer("featureEpochs"), std::int64_t(20));

        // An old request: zeros and empty strings meant "the default", i.e. auto now.
        const RunConfig request = runConfigFromJson(R"({"method": "dsa", "params": {"lrImage": 0, "init": "", "realBatch": 64}})");
        QCOMPARE(request.params.all().size(), std::size_t(1));
        QCOMPARE(request.params.integer("realBatch"), std::int64_t(64));

        // From version 2 on, an undeclared parameter is an error naming it, not silently dropped.
        QVERIFY(errorOf([] {
            validate(runConfigFromJson(R"({"configVersion": 2, "method": "dm", "params": {"lrNet": 0.1}})"));
        }).contains(QLatin1String("params.lrNet: method dm has no such parameter")));
        QVERIFY(errorOf([] { runConfigFromJson(R"({"configVersion": 9})"); }).contains(QLatin1String("configVersion 9")));
    }

    void parameterTextIsCheckedAgainstItsDeclaration()
    {
        const std::vector<ParamSpec> dc = methodParameters("dc");
        const ParamSpec& lr = *findParam(dc, "lrImage");
        const ParamSpec& batch = *findParam(dc, "realBatch");
        const ParamSpec& init = *findParam(dc, "init");
        QCOMPARE(std::get<double>(parseParamValue(lr, "0.05", "--lr-image")), 0.05);
        QCOMPARE(std::get<std::int64_t>(parseParamValue(batch, "64", "--real-batch")), std::int64_t(64));
        QVERIFY(errorOf([&] { parseParamValue(lr, "nan", "--lr-image"); }).startsWith(QLatin1String("--lr-image:")));
        QVERIFY(errorOf([&] { parseParamValue(lr, "inf", "--lr-image"); }).startsWith(QLatin1String("--lr-image:")));
        QVERIFY(errorOf([&] { parseParamValue(lr, "0", "--lr-image"); }).contains(QLatin1String("outside")));
        QVERIFY(errorOf([&] { parseParamValue(lr, "1e12", "--lr-image"); }).contains(QLatin1String("outside")));
        QVERIFY(errorOf([&] { parseParamValue(batch, "1.5", "--real-batch"); }).contains(QLatin1String("whole number")));
        QVERIFY(errorOf([&] { parseParamValue(batch, "99999999999999999999", "--real-batch"); }).contains(QLatin1String("whole number")));
        QVERIFY(errorOf([&] { parseParamValue(batch, "0", "--real-batch"); }).contains(QLatin1String("outside 1")));
        QVERIFY(errorOf([&] { parseParamValue(init, "zeros", "--init"); }).contains(QLatin1String("real, noise")));
        // JSON values: a whole number where a number is declared is fine, the reverse is not.
        QCOMPARE(std::get<double>(checkedParamValue(lr, std::int64_t(1))), 1.0);
        QVERIFY(errorOf([&] { checkedParamValue(batch, 1.5); }).startsWith(QLatin1String("params.realBatch")));
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
        QVERIFY(errorFor([](RunConfig& c) {
            c.method = "dm";
            c.params.set("augment", std::string("color_blur"));
        }).contains(QLatin1String("blur")));
        QVERIFY(errorFor([](RunConfig& c) {
            c.method = "dm";
            c.params.set("realBatch", std::int64_t(0));
        }).startsWith(QLatin1String("params.realBatch: 0 is outside 1")));
        QVERIFY(errorFor([](RunConfig& c) {
            c.method = "random";
            c.params.set("features", std::string("pixels"));
        }).contains(QLatin1String("method random has no such parameter")));
        QVERIFY(errorFor([](RunConfig& c) { c.data.flips = "sometimes"; }).startsWith(QLatin1String("data.flips")));
        QVERIFY(errorFor([](RunConfig& c) { c.data.imageSize = 4; }).startsWith(QLatin1String("data.imageSize")));
        QVERIFY(errorFor([](RunConfig& c) { c.eval.models = 0; }).startsWith(QLatin1String("eval.models")));
        QVERIFY(errorFor([](RunConfig& c) { c.data.source.clear(); }).startsWith(QLatin1String("data.source")));
        // Issue 16, defect 8: testFraction 1.5 was accepted (and only image folders looked at it).
        QVERIFY(errorFor([](RunConfig& c) { c.data.testFraction = 1.5; }).startsWith(QLatin1String("data.testFraction")));
        QVERIFY(errorFor([](RunConfig& c) { c.checkpointSeconds = -1; }).startsWith(QLatin1String("checkpointSeconds")));
        QVERIFY(errorFor([](RunConfig& c) { c.eval.momentum = 1.5; }).startsWith(QLatin1String("eval.momentum")));
        QVERIFY(errorFor([](RunConfig& c) { c.performance.cpuPieceMiB = -5; })
                    .startsWith(QLatin1String("performance.cpuPieceMiB: -5")));
        QVERIFY(errorFor([](RunConfig& c) { c.performance.cpuPieceMiB = 0; }).isEmpty()); // 0: one batch
        QCOMPARE(runConfigFromJson(R"({"performance": {"cpuPieceMiB": 8}})").performance.cpuPieceMiB, 8);
        QCOMPARE(runConfigFromJson(R"({"performance": {}})").performance.cpuPieceMiB, PerformanceConfig{}.cpuPieceMiB);
    }

    // Issue 16, defect 8: config numbers were converted silently: ipc 2^40 became 0 ("got 0"), ipc 1.5 became 1.
    void numbersAreNotTruncated()
    {
        const QString wrapped = errorOf([] { runConfigFromJson(R"({"ipc": 1099511627776})"); });
        QVERIFY2(wrapped.contains(QLatin1String("ipc: must be a whole number")) && wrapped.contains(QLatin1String("1099511627776")),
            qPrintable(wrapped));
        QVERIFY(errorOf([] { runConfigFromJson(R"({"ipc": 1.5})"); }).contains(QLatin1String("ipc: must be a whole number")));
        QVERIFY(errorOf([] { runConfigFromJson(R"({"seed": -1})"); }).contains(QLatin1String("seed: must be a whole number")));
        QVERIFY(errorOf([] { runConfigFromJson(R"({"configVersion": 2, "method": "dm", "params": {"realBatch": 18446744073709551615}})"); })
                    .contains(QLatin1String("params.realBatch")));
        QVERIFY(errorOf([] { runConfigFromJson(R"({"eval": {"lr": "fast"}})"); }).contains(QLatin1String("eval.lr has the wrong type")));
        // What other tools write for whole numbers still reads.
        QCOMPARE(runConfigFromJson(R"({"ipc": 10.0})").ipc, 10);
        QCOMPARE(runConfigFromJson(R"({"seed": 18446744073709551615})").seed, std::uint64_t(18446744073709551615ull));
        QCOMPARE(runConfigFromJson(R"({"checkpointSeconds": 12.5})").checkpointSeconds, 12.5);
    }
};

QTEST_APPLESS_MAIN(TestConfig)
#include "tst_config.moc"

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// RunConfig → JSON, presets, and the checks of the run-level settings. Reading a config back needs the methods'
// parameter declarations (old files), so it lives above them: session/request.cpp.
#include "base/configformat.h"
#include "formats/atomicfile.h"

#include <distillery/augment.h>
#include <distillery/config.h>
#include <distillery/error.h>
#include <distillery/parameters.h>

#include <nlohmann/json.hpp>

#include <cmath>


namespace distillery::core {
namespace {

    using nlohmann::json;

    json paramsToJson(const ParamValues& params)
    {
        json out = json::object();
        for (const auto& [key, value] : params.all())
            std::visit([&, k = key](const auto& v) { out[k] = v; }, value);
        return out;
    }

    json toJsonValue(const RunConfig& c)
    {
        const auto& d = c.data;
        const auto& m = c.model;
        const auto& e = c.eval;
        return json{
            {"configVersion", kConfigVersion},
            {"method", c.method},
            {"ipc", c.ipc},
            {"iterations", c.iterations},
            {"preset", c.preset},
            {"device", c.device},
            {"seed", c.seed},
            {"threads", c.threads},
            {"data",
                {{"source", d.source}, {"imageSize", d.imageSize}, {"flips", d.flips}, {"color", d.color},
                    {"testFraction", d.testFraction}, {"splitSeed", d.splitSeed}, {"select", d.select},
                    {"selectFraction", d.selectFraction}, {"selectScore", d.selectScore}}},
            {"model",
                {{"arch", m.arch}, {"width", m.width}, {"depth", m.depth}, {"norm", m.norm}, {"activation", m.activation},
                    {"pooling", m.pooling}}},
            {"params", paramsToJson(c.params)},
            {"eval",
                {{"models", e.models}, {"epochs", e.epochs}, {"augment", e.augment}, {"dsaStrategy", e.dsaStrategy},
                    {"lr", e.lr}, {"momentum", e.momentum}, {"weightDecay", e.weightDecay}, {"batchSize", e.batchSize}}},
            {"performance",
                {{"tf32", c.performance.tf32}, {"cudnnBenchmark", c.performance.cudnnBenchmark},
                    {"channelsLast", c.performance.channelsLast}, {"fusedKernels", c.performance.fusedKernels},
                    {"cudaGraphs", c.performance.cudaGraphs}, {"bf16", c.performance.bf16},
                    {"cpuPieceMiB", c.performance.cpuPieceMiB}}},
            {"snapshotEvery", c.snapshotEvery},
            {"evalEvery", c.evalEvery},
            {"finalEval", c.finalEval},
            {"checkpointEvery", c.checkpointEvery},
            {"checkpointSeconds", c.checkpointSeconds},
            {"outDir", c.outDir},
            {"expertsDir", c.expertsDir}, {"scoresDir", c.scoresDir},
        };
    }

} // namespace

void requireOneOf(const std::string& setting, const std::string& value, const std::vector<std::string>& allowed)
{
    for (const auto& a : allowed)
        if (value == a)
            return;
    std::string list;
    for (const auto& a : allowed)
        list += (list.empty() ? "" : ", ") + a;
    throw Error(setting + ": \"" + value + "\" is not one of " + list);
}


std::vector<std::string> presetNames()
{
    return {"classroom", "paper"};
}

void applyPreset(RunConfig& config, const std::string& preset)
{
    requireOneOf("preset", preset, presetNames());
    config.preset = preset;
    config.model = ModelConfig{};
    config.eval = EvalConfig{};
    if (preset == "paper") {
        // The reference ConvNet and protocol (docs/methods.md §1.1, §1.4); methods pick their own eval epochs.
        config.model.width = 128;
        config.eval.models = 5;
        // Empty/0 = the method's reference protocol (DSA, DM, coresets: 1000 epochs with DSA; DC: 300 without).
        config.eval.augment = "";
        config.eval.epochs = 0;
        config.snapshotEvery = 10;
    } else {
        // A 2-core laptop: a narrow ConvNet and a short evaluation, so a lesson sees results in seconds.
        config.model.width = 32;
        config.eval.models = 2;
        config.eval.epochs = 300;
        config.eval.augment = "dsa";
        config.snapshotEvery = 1;
    }
}

void resolveEvalProtocol(EvalConfig& eval, const std::string& defaultAugment)
{
    if (eval.augment.empty())
        eval.augment = defaultAugment;
    if (eval.epochs == 0)
        eval.epochs = eval.augment == "dsa" ? 1000 : 300;
}

std::string toJson(const RunConfig& config)
{
    return toJsonValue(config).dump(2);
}

void saveRunConfig(const RunConfig& config, const std::string& path)
{
    writeTextAtomically(path, toJson(config) + '\n');
}

void checkRunSettings(const RunConfig& c)
{
    if (c.ipc < 1)
        throw Error("ipc: must be at least 1, got " + std::to_string(c.ipc));
    if (c.iterations < 0)
        throw Error("iterations: must not be negative");
    requireOneOf("preset", c.preset, presetNames());
    requireOneOf("model.arch", c.model.arch, {"convnet", "mlp", "lenet", "resnet18"});
    requireOneOf("model.norm", c.model.norm, {"instance", "batch", "none"});
    requireOneOf("model.activation", c.model.activation, {"relu", "leakyrelu", "sigmoid"});
    requireOneOf("model.pooling", c.model.pooling, {"avg", "max", "none"});
    if (c.model.width < 1 || c.model.width > 4096)
        throw Error("model.width: must be in 1…4096");
    if (c.model.depth < 1 || c.model.depth > 8)
        throw Error("model.depth: must be in 1…8");
    requireOneOf("data.flips", c.data.flips, {"auto", "on", "off"});
    if (c.data.imageSize != 0 && (c.data.imageSize < 8 || c.data.imageSize > 512))
        throw Error("data.imageSize: " + std::to_string(c.data.imageSize) + " is outside 8…512 (0 keeps the images' size)");
    if (!c.eval.augment.empty())
        requireOneOf("eval.augment", c.eval.augment, {"dsa", "none"});
    if (!c.eval.dsaStrategy.empty())
        checkDsaStrategy(c.eval.dsaStrategy);
    if (c.eval.models < 1)
        throw Error("eval.models: must be at least 1");
    if (c.eval.epochs < 0)
        throw Error("eval.epochs: must not be negative");
    if (c.eval.batchSize < 1)
        throw Error("eval.batchSize: must be at least 1");
    if (!(c.eval.lr > 0) || !std::isfinite(c.eval.lr))
        throw Error("eval.lr: must be a positive number");
    if (!(c.eval.momentum >= 0 && c.eval.momentum < 1))
        throw Error("eval.momentum: must be in [0, 1)");
    if (!(c.eval.weightDecay >= 0) || !std::isfinite(c.eval.weightDecay))
        throw Error("eval.weightDecay: must not be negative");
    requireOneOf("data.select", c.data.select, {"none", "drop-hardest", "drop-easiest", "drop-random"});
    requireOneOf("data.selectScore", c.data.selectScore, {"converged", "early"});
    if (!(c.data.selectFraction >= 0 && c.data.selectFraction < 1))
        throw Error("data.selectFraction: " + std::to_string(c.data.selectFraction)
            + " is outside [0, 1) (the share of each class dropped)");
    if (c.data.select != "none" && c.data.selectFraction == 0)
        throw Error("data.select: " + c.data.select + " drops nothing with data.selectFraction 0; give the share to drop "
            "(e.g. 0.9) or select none");
    if (!(c.data.testFraction >= 0 && c.data.testFraction < 1))
        throw Error("data.testFraction: " + std::to_string(c.data.testFraction) + " is outside [0, 1)");
    if (c.snapshotEvery < 1)
        throw Error("snapshotEvery: must be at least 1");
    if (c.evalEvery < 0 || c.checkpointEvery < 0)
        throw Error("evalEvery and checkpointEvery must not be negative");
    if (!(c.checkpointSeconds >= 0) || !std::isfinite(c.checkpointSeconds))
        throw Error("checkpointSeconds: must not be negative (0 = by iteration count only)");
    if (c.threads < 0)
        throw Error("threads: must not be negative");
    if (c.performance.cpuPieceMiB < 0 || c.performance.cpuPieceMiB > 1024 * 1024)
        throw Error("performance.cpuPieceMiB: " + std::to_string(c.performance.cpuPieceMiB)
            + " is outside 0 … 1048576 (MiB per activation of a piece; 0 = one batch)");
    if (c.data.source.empty())
        throw Error("data.source: empty (use fashion-mnist, idx:<dir>, cifar10:<dir>, folder:<dir> or medmnist:<file>)");
}

} // namespace distillery::core

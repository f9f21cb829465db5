// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// RunConfig ↔ JSON, presets and validation.
#include <distillery/augment.h>
#include <distillery/config.h>
#include <distillery/error.h>
#include <distillery/methods.h>
#include <distillery/parameters.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <set>
#include <sstream>

namespace distillery::core {
namespace {

    using nlohmann::json;

    /// Reads fields of one JSON object by name, and afterwards refuses any key nobody asked for.
    class FieldReader
    {
    public:
        FieldReader(const json& object, std::string path)
            : m_object(object)
            , m_path(std::move(path))
        {
            if (!m_object.is_object())
                throw Error("config: " + (m_path.empty() ? std::string("the top level") : m_path) + " must be a JSON object");
        }

        template<typename T>
        void read(const char* key, T& value)
        {
            m_known.insert(key);
            const auto it = m_object.find(key);
            if (it == m_object.end())
                return;
            try {
                value = it->template get<T>();
            } catch (const json::exception&) {
                throw Error("config: " + name(key) + " has the wrong type (" + it->dump() + ")");
            }
        }

        template<typename Fn>
        void object(const char* key, Fn&& readObject)
        {
            m_known.insert(key);
            const auto it = m_object.find(key);
            if (it != m_object.end()) {
                FieldReader inner(*it, name(key));
                readObject(inner);
                inner.finish();
            }
        }

        /// A key read by other means.
        void markKnown(const char* key) { m_known.insert(key); }

        void finish() const
        {
            for (const auto& [key, value] : m_object.items())
                if (!m_known.count(key))
                    throw Error("config: unknown setting " + name(key.c_str()));
        }

    private:
        std::string name(const char* key) const { return m_path.empty() ? std::string(key) : m_path + "." + key; }

        const json& m_object;
        std::string m_path;
        std::set<std::string> m_known;
    };

    /// config.json's layout: 2 added per-method parameters (only the method's own, absent = auto) and data.flips.
    constexpr int kConfigVersion = 2;

    json paramsToJson(const ParamValues& params)
    {
        json out = json::object();
        for (const auto& [key, value] : params.all())
            std::visit([&, k = key](const auto& v) { out[k] = v; }, value);
        return out;
    }

    ParamValue paramFromJson(const json& value, const std::string& key)
    {
        if (value.is_number_integer())
            return value.get<std::int64_t>();
        if (value.is_number_float())
            return value.get<double>();
        if (value.is_string())
            return value.get<std::string>();
        throw Error("config: params." + key + " has the wrong type (" + value.dump() + ")");
    }

    /// Before version 2 every config held every method's parameters in one flat object, 0 or "" meaning "the
    /// method's default"; each method read only its own. Keep what the method declares and was set.
    ParamValues legacyParams(const json& params, const std::string& method)
    {
        std::vector<ParamSpec> specs;
        try {
            specs = methodParameters(method);
        } catch (const Error&) {
            // an unknown method: validate() says so; keep nothing
        }
        ParamValues out;
        for (const auto& [key, value] : params.items()) {
            const bool autoValue = (value.is_number() && value.get<double>() == 0) || (value.is_string() && value.get<std::string>().empty());
            if (autoValue || !findParam(specs, key))
                continue;
            out.set(key, paramFromJson(value, key));
        }
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
                    {"testFraction", d.testFraction}, {"splitSeed", d.splitSeed}}},
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
                    {"cudaGraphs", c.performance.cudaGraphs}, {"bf16", c.performance.bf16}}},
            {"snapshotEvery", c.snapshotEvery},
            {"evalEvery", c.evalEvery},
            {"finalEval", c.finalEval},
            {"checkpointEvery", c.checkpointEvery},
            {"outDir", c.outDir},
        };
    }

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

} // namespace

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
        // The reference ConvNet and protocol (METHODS.md §1.1, §1.4); methods pick their own eval epochs.
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

RunConfig runConfigFromJson(const std::string& text)
{
    json root;
    try {
        root = json::parse(text);
    } catch (const json::exception& e) {
        throw Error(std::string("config: not valid JSON (") + e.what() + ")");
    }
    RunConfig c;
    FieldReader r(root, "");
    int version = 1; // files without the key were written before versions were counted
    r.read("configVersion", version);
    if (version < 1 || version > kConfigVersion)
        throw Error("config: configVersion " + std::to_string(version) + " is not one this build reads (1…"
            + std::to_string(kConfigVersion) + "); a newer Distillery wrote it?");
    r.read("method", c.method);
    r.read("ipc", c.ipc);
    r.read("iterations", c.iterations);
    r.read("preset", c.preset);
    r.read("device", c.device);
    r.read("seed", c.seed);
    r.read("threads", c.threads);
    r.object("data", [&](FieldReader& d) {
        d.read("source", c.data.source);
        d.read("imageSize", c.data.imageSize);
        d.read("flips", c.data.flips);
        d.read("color", c.data.color);
        d.read("testFraction", c.data.testFraction);
        d.read("splitSeed", c.data.splitSeed);
    });
    r.object("model", [&](FieldReader& m) {
        m.read("arch", c.model.arch);
        m.read("width", c.model.width);
        m.read("depth", c.model.depth);
        m.read("norm", c.model.norm);
        m.read("activation", c.model.activation);
        m.read("pooling", c.model.pooling);
    });
    if (root.is_object() && root.contains("params")) {
        const json& params = root.at("params");
        if (!params.is_object())
            throw Error("config: params must be a JSON object");
        r.markKnown("params");
        if (version < 2) {
            c.params = legacyParams(params, c.method);
        } else {
            for (const auto& [key, value] : params.items())
                c.params.set(key, paramFromJson(value, key));
        }
    }
    r.object("eval", [&](FieldReader& e) {
        e.read("models", c.eval.models);
        e.read("epochs", c.eval.epochs);
        e.read("augment", c.eval.augment);
        e.read("dsaStrategy", c.eval.dsaStrategy);
        e.read("lr", c.eval.lr);
        e.read("momentum", c.eval.momentum);
        e.read("weightDecay", c.eval.weightDecay);
        e.read("batchSize", c.eval.batchSize);
    });
    r.object("performance", [&](FieldReader& p) {
        p.read("tf32", c.performance.tf32);
        p.read("cudnnBenchmark", c.performance.cudnnBenchmark);
        p.read("channelsLast", c.performance.channelsLast);
        p.read("fusedKernels", c.performance.fusedKernels);
        p.read("cudaGraphs", c.performance.cudaGraphs);
        p.read("bf16", c.performance.bf16);
    });
    r.read("snapshotEvery", c.snapshotEvery);
    r.read("evalEvery", c.evalEvery);
    r.read("finalEval", c.finalEval);
    r.read("checkpointEvery", c.checkpointEvery);
    r.read("outDir", c.outDir);
    r.finish();
    return c;
}

RunConfig loadRunConfig(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
        throw Error(path + ": file not found");
    std::stringstream text;
    text << in.rdbuf();
    try {
        return runConfigFromJson(text.str());
    } catch (const Error& e) {
        throw Error(path + ": " + e.what());
    }
}

void saveRunConfig(const RunConfig& config, const std::string& path)
{
    std::ofstream out(path, std::ios::trunc);
    out << toJson(config) << '\n';
    if (!out.flush())
        throw Error(path + ": cannot write");
}

void validate(const RunConfig& c)
{
    methodInfo(c.method); // throws with the list of known methods
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
    validateParams(c.method, c.params);
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
    if (!(c.eval.lr > 0))
        throw Error("eval.lr: must be positive");
    if (c.snapshotEvery < 1)
        throw Error("snapshotEvery: must be at least 1");
    if (c.evalEvery < 0 || c.checkpointEvery < 0)
        throw Error("evalEvery and checkpointEvery must not be negative");
    if (c.threads < 0)
        throw Error("threads: must not be negative");
    if (c.data.source.empty())
        throw Error("data.source: empty (use fashion-mnist, idx:<dir>, cifar10:<dir>, folder:<dir> or medmnist:<file>)");
}

} // namespace distillery::core

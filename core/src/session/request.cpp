// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// A request read and checked, and resolved for a data set (docs/architecture.md, "Request and resolved").
#include "base/configformat.h"
#include "base/jsonnumbers.h"
#include "methods/method.h"

#include <distillery/config.h>
#include <distillery/error.h>
#include <distillery/methods.h>
#include <distillery/parameters.h>
#include <distillery/request.h>

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
            if constexpr (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>) {
                value = jsonNumber<T>(*it, "config: " + name(key)); // the command line's strictness: no 1.5 → 1
            } else {
                try {
                    value = it->template get<T>();
                } catch (const json::exception&) {
                    throw Error("config: " + name(key) + " has the wrong type (" + it->dump() + ")");
                }
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

    ParamValue paramFromJson(const json& value, const std::string& key)
    {
        if (value.is_number_integer())
            return jsonNumber<std::int64_t>(value, "config: params." + key);
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

} // namespace

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
        d.read("select", c.data.select);
        d.read("selectFraction", c.data.selectFraction);
        d.read("selectScore", c.data.selectScore);
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
        p.read("cpuPieceMiB", c.performance.cpuPieceMiB);
    });
    r.read("snapshotEvery", c.snapshotEvery);
    r.read("evalEvery", c.evalEvery);
    r.read("finalEval", c.finalEval);
    r.read("checkpointEvery", c.checkpointEvery);
    r.read("checkpointSeconds", c.checkpointSeconds);
    r.read("outDir", c.outDir);
    r.read("expertsDir", c.expertsDir);
    r.read("scoresDir", c.scoresDir);
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

void validate(const RunConfig& c)
{
    methodInfo(c.method); // throws with the list of known methods
    checkRunSettings(c);
    validateParams(c.method, c.params);
}

RunConfig resolveConfig(const RunConfig& request, const DatasetInfo& data)
{
    validate(request);
    RunConfig resolved = request;
    resolved.params = resolveParams(request.method, request.params, {request.preset, request.ipc, data.dsaStrategy});
    createMethod(request.method)->resolveRunDefaults(resolved, data);
    validate(resolved);
    return resolved;
}

} // namespace distillery::core

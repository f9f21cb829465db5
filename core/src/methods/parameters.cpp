// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// Method parameters checked and resolved against the registry's declarations (docs/adding-a-method.md).
#include <distillery/error.h>
#include <distillery/methods.h>
#include <distillery/parameters.h>

namespace distillery::core {
namespace {

    /// Every key of `values` among `specs` and valid; an undeclared key names the method's parameters.
    void checkAgainst(const std::string& method, const std::vector<ParamSpec>& specs, const ParamValues& values)
    {
        for (const auto& [key, value] : values.all()) {
            const ParamSpec* spec = findParam(specs, key);
            if (!spec) {
                std::string keys;
                for (const auto& s : specs)
                    keys += (keys.empty() ? "" : ", ") + s.key;
                throw Error("params." + key + ": method " + method + " has no such parameter ("
                    + (keys.empty() ? std::string("it has none") : "its parameters: " + keys) + ")");
            }
            checkedParamValue(*spec, value);
        }
    }

} // namespace

void validateParams(const std::string& method, const ParamValues& values)
{
    checkAgainst(method, methodParameters(method), values);
}

ParamValues resolveParams(const std::string& method, const ParamValues& request, const ParamContext& context)
{
    const std::vector<ParamSpec> specs = methodParameters(method);
    // The request's own values, checked (an undeclared key is an error, not silently dropped)…
    checkAgainst(method, specs, request);
    ParamValues resolved;
    for (const auto& spec : specs) {
        if (request.has(spec.key)) {
            resolved.set(spec.key, checkedParamValue(spec, request.all().at(spec.key)));
            continue;
        }
        // …and every one it leaves on auto from the declaration.
        if (!spec.defaultValue)
            throw Error("params." + spec.key + ": method " + method + " declares no default");
        resolved.set(spec.key, checkedParamValue(spec, spec.defaultValue(context)));
    }
    return resolved;
}

} // namespace distillery::core

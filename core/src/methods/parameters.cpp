// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// Method parameters checked and resolved against the registry's declarations (docs/adding-a-method.md).
#include <distillery/error.h>
#include <distillery/methods.h>
#include <distillery/parameters.h>

namespace distillery::core {

void validateParams(const std::string& method, const ParamValues& values)
{
    const std::vector<ParamSpec> specs = methodParameters(method);
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

ParamValues resolveParams(const std::string& method, const ParamValues& request, const ParamContext& context)
{
    const std::vector<ParamSpec> specs = methodParameters(method);
    ParamValues resolved;
    for (const auto& spec : specs) {
        if (request.has(spec.key)) {
            resolved.set(spec.key, checkedParamValue(spec, request.all().at(spec.key)));
            continue;
        }
        if (!spec.defaultValue)
            throw Error("params." + spec.key + ": method " + method + " declares no default");
        resolved.set(spec.key, checkedParamValue(spec, spec.defaultValue(context)));
    }
    validateParams(method, request); // an undeclared key in the request is an error, not silently dropped
    return resolved;
}

} // namespace distillery::core

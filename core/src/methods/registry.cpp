// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "methods/coreset.h"
#include "methods/dd.h"
#include "methods/dm.h"
#include "methods/frepo.h"
#include "methods/gradientmatching.h"
#include "methods/method.h"
#include "methods/mtt.h"
#include "methods/rfad.h"

#include <distillery/error.h>

namespace distillery::core {
namespace {

    struct Entry
    {
        const char* name;
        MethodFactory create;
    };

    // An explicit table rather than self-registering statics: a static library drops object files nobody
    // references, and with them their registrars.
    const std::vector<Entry>& registry()
    {
        static const std::vector<Entry> kMethods = {
            {"dm", [] { return std::make_unique<DmMethod>(); }},
            {"dc", [] { return std::make_unique<GradientMatchingMethod>(false); }},
            {"dsa", [] { return std::make_unique<GradientMatchingMethod>(true); }},
            {"mtt", [] { return std::make_unique<MttMethod>(); }},
            {"dd", [] { return std::make_unique<DdMethod>(); }},
            {"frepo", [] { return std::make_unique<FrepoMethod>(); }},
            {"rfad", [] { return std::make_unique<RfadMethod>(); }},
            {"random", [] { return std::make_unique<CoresetMethod>(CoresetRule::Random); }},
            {"herding", [] { return std::make_unique<CoresetMethod>(CoresetRule::Herding); }},
            {"kcenter", [] { return std::make_unique<CoresetMethod>(CoresetRule::KCenter); }},
        };
        return kMethods;
    }

    std::string knownNames()
    {
        std::string names;
        for (const auto& e : registry())
            names += (names.empty() ? "" : ", ") + std::string(e.name);
        return names;
    }

} // namespace

std::unique_ptr<Method> createMethod(const std::string& name)
{
    for (const auto& e : registry())
        if (name == e.name)
            return e.create();
    throw Error("method: unknown method \"" + name + "\" (known: " + knownNames() + ")");
}

std::vector<MethodInfo> availableMethods()
{
    std::vector<MethodInfo> infos;
    for (const auto& e : registry())
        infos.push_back(e.create()->info());
    return infos;
}

MethodInfo methodInfo(const std::string& name)
{
    return createMethod(name)->info();
}

std::vector<ParamSpec> methodParameters(const std::string& method)
{
    return createMethod(method)->parameters();
}

} // namespace distillery::core

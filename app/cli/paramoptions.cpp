// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "paramoptions.h"

#include <distillery/error.h>
#include <distillery/methods.h>
#include <distillery/parameters.h>

namespace distillery::cli {

ParamOptions::ParamOptions(CLI::App* cmd)
{
    // One option per key over all methods: methods that share a key share its flag and meaning (commonparams).
    for (const auto& method : core::availableMethods()) {
        for (const auto& spec : core::methodParameters(method.name)) {
            if (m_options.count(spec.key))
                continue;
            auto option = std::make_shared<Option>();
            option->flag = spec.flag;
            std::string names = "--" + spec.flag;
            for (const auto& alias : spec.flagAliases)
                names += ",--" + alias;
            std::string help = spec.help;
            if (spec.kind == core::ParamKind::Choice || spec.kind == core::ParamKind::Augmentation) {
                std::string values;
                for (const auto& c : spec.choices)
                    values += (values.empty() ? "" : ", ") + c.value;
                help += " (" + values + (spec.kind == core::ParamKind::Augmentation ? ", or DSA groups" : "") + ")";
            }
            help += "; params." + spec.key + ", default: the method's for the preset";
            option->option = cmd->add_option(names, option->text, help)->group("Method parameters (see `info`)");
            m_options[spec.key] = option;
        }
    }
}

bool ParamOptions::anyGiven() const
{
    for (const auto& [key, option] : m_options)
        if (option->option->count() > 0)
            return true;
    return false;
}

void ParamOptions::apply(core::RunConfig& config, bool resuming) const
{
    const std::vector<core::ParamSpec> specs = core::methodParameters(config.method);
    for (const auto& [key, option] : m_options) {
        if (option->option->count() == 0)
            continue;
        const std::string flag = "--" + option->flag;
        const core::ParamSpec* spec = core::findParam(specs, key);
        if (!spec) {
            std::string flags;
            for (const auto& s : specs)
                flags += (flags.empty() ? "" : ", ") + ("--" + s.flag);
            throw core::Error(flag + ": method " + config.method + " has no such parameter ("
                + (flags.empty() ? std::string("it has none") : "its parameters: " + flags) + ")");
        }
        if (resuming && !spec->resumable)
            throw core::Error(flag + " cannot change when resuming a run (it would be another run); start a new run "
                                     "instead");
        config.params.set(key, core::parseParamValue(*spec, option->text, flag));
    }
}

} // namespace distillery::cli

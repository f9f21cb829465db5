// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/config.h>

#include <CLI/CLI.hpp>

#include <map>
#include <memory>
#include <string>

namespace distillery::cli {

/// The command-line options of every method's parameters, generated from their declarations (parameters.h):
/// one option per key (`--lr-image`, with older names such as `--lr-img` kept as aliases), holding text until
/// the method is known.
class ParamOptions
{
public:
    /// Adds the options to `cmd`.
    explicit ParamOptions(CLI::App* cmd);

    /// Sets, in `config.params`, every option given on the command line, parsed and checked against the
    /// declaration of `config.method`. Throws core::Error naming the option when the method has no such
    /// parameter or the value is bad; with `resuming`, also when the parameter may not change on a resume.
    void apply(core::RunConfig& config, bool resuming) const;

    /// Whether any parameter option was given.
    bool anyGiven() const;

private:
    struct Option
    {
        std::string flag; ///< the option's main name, without dashes
        std::string text;
        CLI::Option* option = nullptr;
    };
    std::map<std::string, std::shared_ptr<Option>> m_options; // by parameter key
};

} // namespace distillery::cli

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// The options that describe a run, shared by `distill` and `experts build` (which prepares a run without
// distilling): the same flags mean the same config in both.
#pragma once

#include "paramoptions.h"

#include <distillery/config.h>

#include <memory>
#include <string>

namespace CLI {
class App;
}

namespace distillery::cli {

struct RunOptions
{
    std::string configFile;
    std::string preset = "classroom";
    core::RunConfig values; // only the fields given on the command line are used
    bool noEval = false;
    bool noFusedKernels = false;
    bool noCudaGraphs = false;
    bool bf16 = false;
    bool noTf32 = false;
    std::string select; ///< --select RULE:FRACTION (or none)
    std::string resumeDir; ///< distill --resume only
    std::string defaultMethod; ///< the method when neither --method nor --config names one; empty: the config's
    std::unique_ptr<ParamOptions> params;
};

/// Adds every run option (data, method, model, evaluation, speed switches, method parameters) to `cmd`.
void addRunOptions(CLI::App* cmd, RunOptions& o);

/// Config file (or preset defaults), then every option given explicitly on the command line.
core::RunConfig buildRunConfig(const RunOptions& o, const CLI::App& cmd);

} // namespace distillery::cli

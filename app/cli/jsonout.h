// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/datasets.h>
#include <distillery/evalresult.h>

#include <nlohmann/json.hpp>

namespace distillery::cli {

/// The shapes of `--json` output, shared by every subcommand.
nlohmann::json toJson(const core::EvalResult& result);
nlohmann::json toJson(const core::DatasetInfo& info);

/// Prints `value` on stdout as one line (what scripts read).
void printJson(const nlohmann::json& value);

} // namespace distillery::cli

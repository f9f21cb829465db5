// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace CLI {
class App;
}

namespace distillery::cli {

/// Each subcommand registers its options on `app` and runs from a callback; a run that fails throws
/// core::Error, which main() prints as one line.
void addInfoCommand(CLI::App& app);
void addDistillCommand(CLI::App& app);
void addEvalCommand(CLI::App& app);
void addBenchCommand(CLI::App& app);
void addPrivacyCommand(CLI::App& app);
void addExpertsCommand(CLI::App& app);
void addAnimateCommand(CLI::App& app);

} // namespace distillery::cli

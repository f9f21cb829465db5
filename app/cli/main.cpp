// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// distillery-cli: the headless front end (info, distill, eval).
#include "commands.h"

#include <distillery/device.h>
#include <distillery/error.h>
#include <distillery/version.h>

#include <CLI/CLI.hpp>

#include <iostream>

int main(int argc, char** argv)
{
    distillery::core::useShortThreadSpin(argv);
    CLI::App app{"Distillery: dataset distillation from the command line.\n"
                 "Synthesizes a tiny training set from a large one and measures it honestly."};
    app.set_version_flag("--version", distillery::core::version());
    app.require_subcommand(1);
    distillery::cli::addInfoCommand(app);
    distillery::cli::addDistillCommand(app);
    distillery::cli::addEvalCommand(app);
    distillery::cli::addBenchCommand(app);
    distillery::cli::addPrivacyCommand(app);
    distillery::cli::addExpertsCommand(app);
    distillery::cli::addAnimateCommand(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const distillery::core::Error& e) {
        std::cerr << "distillery-cli: error: " << e.what() << std::endl;
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "distillery-cli: internal error: " << e.what() << std::endl;
        return 3;
    }
    return 0;
}

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// `distillery-cli experts build|list|remove`: the expert-trajectory cache of the trajectory methods (MTT).
#include "commands.h"
#include "jsonout.h"
#include "progress.h"
#include "runoptions.h"
#include "stopsignal.h"

#include <distillery/error.h>
#include <distillery/experts.h>
#include <distillery/methods.h>
#include <distillery/runcontrol.h>
#include <distillery/session.h>

#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

namespace distillery::cli {
namespace {

    std::string megabytes(std::int64_t bytes)
    {
        char text[32];
        std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / 1e6);
        return text;
    }

    /// Prepares the run the options describe, which trains and stores its missing experts, and stops there.
    void build(const RunOptions& o, const CLI::App& cmd)
    {
        core::RunConfig config = buildRunConfig(o, cmd);
        if (!core::findParam(core::methodParameters(config.method), "lrTeacher"))
            throw core::Error("method: " + config.method + " uses no expert trajectories (experts are for mtt)");
        config.outDir.clear(); // no run folder: only the experts are kept
        config.finalEval = false;
        core::Session session(config);
        core::RunControl control;
        StopOnSignal stopOnSignal(control);
        std::unique_ptr<Progress> progress;
        core::SessionCallbacks callbacks;
        callbacks.onMessage = [&](const std::string& line) {
            if (progress)
                progress->finish();
            std::cerr << line << std::endl;
        };
        callbacks.onStageProgress = [&](const core::StageProgress& p) {
            if (!progress) {
                progress = std::make_unique<Progress>(p.stage);
                progress->startAt(p.done); // its first report: the rate counts the work after it (kept work too)
            }
            progress->update(p.done, p.total, p.unit);
        };
        try {
            session.prepare(callbacks, &control);
        } catch (const core::Cancelled&) {
            if (progress)
                progress->finish();
            std::cerr << "stopped: the experts finished so far are kept, and the one in training continues where it "
                         "stopped at the next build"
                      << std::endl;
            throw CLI::RuntimeError(stopOnSignal.interrupted() ? 130 : 1);
        }
        if (progress)
            progress->finish();
        std::cout << core::expertsDirOr(config.expertsDir) << std::endl;
    }

    void list(const std::string& dir, bool json)
    {
        const auto entries = core::listExpertCaches(core::expertsDirOr(dir));
        if (json) {
            nlohmann::json out = nlohmann::json::array();
            for (const auto& e : entries)
                out.push_back({{"id", e.id}, {"folder", e.folder}, {"description", e.description}, {"experts", e.experts},
                    {"in_progress", e.inProgress}, {"epochs", e.epochs}, {"bytes", e.bytes}, {"problems", e.problems}});
            printJson(out);
            return;
        }
        std::cout << core::expertsDirOr(dir) << ": " << entries.size() << (entries.size() == 1 ? " entry" : " entries")
                  << std::endl;
        for (const auto& e : entries) {
            std::cout << "  " << e.id << "\n    " << e.experts << " experts"
                      << (e.inProgress > 0 ? " (+" + std::to_string(e.inProgress) + " in progress)" : std::string())
                      << ", " << megabytes(e.bytes) << "; " << e.description << std::endl;
            for (const auto& p : e.problems)
                std::cout << "    problem: " << p << std::endl;
        }
    }

    void remove(const std::string& dir, const std::vector<std::string>& ids, bool all)
    {
        const std::string folder = core::expertsDirOr(dir);
        std::vector<std::string> targets = ids;
        if (all)
            for (const auto& e : core::listExpertCaches(folder))
                targets.push_back(e.id);
        if (targets.empty())
            throw core::Error("experts remove: name an entry (see `distillery-cli experts list`) or give --all");
        for (const auto& id : targets) {
            core::removeExpertCache(folder, id);
            std::cout << "removed " << id << std::endl;
        }
    }

} // namespace

void addExpertsCommand(CLI::App& app)
{
    CLI::App* experts = app.add_subcommand("experts", "The expert trajectories that trajectory matching (mtt) trains once "
                                                      "and reuses: build, list, remove");
    experts->require_subcommand(1);

    auto buildOptions = std::make_shared<RunOptions>();
    buildOptions->defaultMethod = "mtt";
    CLI::App* buildCmd = experts->add_subcommand("build",
        "Train the experts a run with these options needs (the same options as distill; --method defaults to mtt), "
        "then stop. Prints the disk size first; Ctrl-C keeps the finished experts");
    addRunOptions(buildCmd, *buildOptions);
    buildCmd->callback([buildOptions, buildCmd] { build(*buildOptions, *buildCmd); });

    auto listDir = std::make_shared<std::string>();
    auto listJson = std::make_shared<bool>(false);
    CLI::App* listCmd = experts->add_subcommand("list", "List the cached experts: entry, count, size, what they were trained for");
    listCmd->add_option("--experts-dir", *listDir, "The cache folder (default: ~/.local/share/distillery/experts)");
    listCmd->add_flag("--json", *listJson, "Print a JSON array on stdout");
    listCmd->callback([listDir, listJson] { list(*listDir, *listJson); });

    auto removeDir = std::make_shared<std::string>();
    auto removeIds = std::make_shared<std::vector<std::string>>();
    auto removeAll = std::make_shared<bool>(false);
    CLI::App* removeCmd = experts->add_subcommand("remove", "Remove cached experts by entry name (from list)");
    removeCmd->add_option("entries", *removeIds, "Entry names");
    removeCmd->add_option("--experts-dir", *removeDir, "The cache folder (default: ~/.local/share/distillery/experts)");
    removeCmd->add_flag("--all", *removeAll, "Remove every entry");
    removeCmd->callback([removeDir, removeIds, removeAll] { remove(*removeDir, *removeIds, *removeAll); });
}

} // namespace distillery::cli

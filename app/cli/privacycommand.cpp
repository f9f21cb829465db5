// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "commands.h"
#include "progress.h"
#include "stopsignal.h"

#include <distillery/config.h>
#include <distillery/error.h>
#include <distillery/privacy.h>
#include <distillery/request.h>
#include <distillery/runcontrol.h>
#include <distillery/selection.h>
#include <distillery/syntheticio.h>
#include <distillery/syntheticset.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

namespace distillery::cli {
namespace {

    struct PrivacyCliOptions
    {
        std::string file;
        std::string dataset;
        std::string out;
        core::PrivacyOptions options;
        int epochs = 0;
        bool noMembership = false;
        bool json = false;
        bool quiet = false;
    };

    void writeText(const std::filesystem::path& path, const std::string& text)
    {
        std::ofstream out(path, std::ios::trunc);
        out << text;
        if (!out.flush())
            throw core::Error(path.string() + ": cannot write");
    }

    void runPrivacy(PrivacyCliOptions& o)
    {
        namespace fs = std::filesystem;
        const core::SyntheticSet set = core::loadSyntheticSet(o.file);
        core::PrivacyOptions options = o.options;
        // The set's own run config names its data, network and protocol; options given here override them.
        core::RunConfig run;
        core::applyPreset(run, "classroom");
        if (const auto it = set.metadata.find("config"); it != set.metadata.end())
            run = core::runConfigFromJson(it->second);
        options.data = run.data;
        options.model = run.model;
        options.eval = run.eval;
        if (!o.dataset.empty())
            options.data.source = o.dataset;
        if (o.epochs > 0)
            options.eval.epochs = o.epochs;
        options.membershipInference = !o.noMembership;
        // A set in a run folder that selected its data: only the kept images are members (docs/privacy.md).
        const fs::path setPath(o.file);
        const fs::path runFolder = fs::is_directory(setPath) ? setPath : setPath.parent_path();
        if (!runFolder.empty())
            if (const auto selection = core::loadRunSelection(runFolder.string()))
                options.members = selection->kept;

        const fs::path source(o.file);
        const fs::path outDir = !o.out.empty() ? fs::path(o.out)
            : fs::is_directory(source)         ? source
                                               : (source.has_parent_path() ? source.parent_path() : fs::path("."));
        std::error_code ec;
        fs::create_directories(outDir, ec);

        core::RunControl control;
        StopOnSignal stopOnSignal(control);
        std::string stage;
        std::unique_ptr<Progress> bar;
        const auto progress = [&](const core::PrivacyProgress& p) {
            if (o.quiet)
                return;
            if (p.stage != stage) {
                if (bar)
                    bar->finish();
                stage = p.stage;
                bar = std::make_unique<Progress>(p.stage);
            }
            bar->update(p.done, std::max(1, p.total));
        };
        core::PrivacyReport report;
        try {
            report = core::inspectPrivacy(set, options, progress, &control);
        } catch (const core::Cancelled&) {
            std::cerr << "privacy inspection stopped" << std::endl;
            throw CLI::RuntimeError(130);
        }
        if (bar)
            bar->finish();
        const std::string json = core::privacyJson(report);
        writeText(outDir / "privacy.json", json);
        writeText(outDir / "privacy.html", core::privacyHtml(report));
        if (o.json) {
            std::cout << nlohmann::json::parse(json).dump() << std::endl;
            return;
        }
        std::cout << report.summary << "\n" << report.footer << "\n"
                  << (outDir / "privacy.json").string() << "\n"
                  << (outDir / "privacy.html").string() << std::endl;
    }

} // namespace

void addPrivacyCommand(CLI::App& app)
{
    auto o = std::make_shared<PrivacyCliOptions>();
    CLI::App* cmd = app.add_subcommand("privacy",
        "How close does each synthetic image stay to a real one? Nearest real images (L2, SSIM, PSNR), distance to "
        "closest record against held-out images, and membership inference next to a random real subset");
    cmd->add_option("file", o->file, "A synthetic.safetensors, synthetic.npz or run folder")->required();
    cmd->add_option("--dataset", o->dataset, "Real data (default: the set's own)");
    cmd->add_option("--k", o->options.k, "Nearest training images per synthetic image")->default_str("5")->check(CLI::PositiveNumber);
    cmd->add_option("--out", o->out, "Folder for privacy.json and privacy.html (default: the set's folder)");
    cmd->add_option("--reference-size", o->options.referenceSize, "Size of the equal-size reference sets for DCR")
        ->default_str("10000")
        ->check(CLI::Range(2, 1'000'000));
    cmd->add_option("--draws", o->options.referenceDraws, "Draws of the training reference set")->default_str("5")->check(CLI::PositiveNumber);
    cmd->add_flag("--no-mia", o->noMembership, "Skip membership inference (it trains networks: minutes on a CPU)");
    cmd->add_option("--mia-seeds", o->options.membershipSeeds, "Target models per training set")->default_str("5")->check(CLI::PositiveNumber);
    cmd->add_option("--mia-pool", o->options.membershipPool, "Members and non-members in the all-members pool")
        ->default_str("10000")
        ->check(CLI::PositiveNumber);
    cmd->add_option("--bootstrap", o->options.bootstrap, "Bootstrap resamples for the intervals")->default_str("1000")->check(CLI::NonNegativeNumber);
    cmd->add_option("--epochs", o->epochs, "Training epochs of the target models (default: the set's protocol)")->check(CLI::PositiveNumber);
    cmd->add_option("--device", o->options.device, "auto, cpu, cuda or cuda:N")->default_str("auto");
    cmd->add_option("--seed", o->options.seed, "Seed of reference draws, target models and bootstrap")->default_str("0");
    cmd->add_option("--threads", o->options.threads, "CPU threads for torch (0 = every core)");
    cmd->add_flag("--json", o->json, "Print privacy.json on stdout as one line");
    cmd->add_flag("--quiet", o->quiet, "No progress output");
    cmd->callback([o] { runPrivacy(*o); });
}

} // namespace distillery::cli

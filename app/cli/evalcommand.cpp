// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "commands.h"
#include "jsonout.h"
#include "progress.h"
#include "stopsignal.h"

#include <distillery/config.h>
#include <distillery/error.h>
#include <distillery/evaluation.h>
#include <distillery/request.h>
#include <distillery/runcontrol.h>
#include <distillery/syntheticio.h>
#include <distillery/syntheticset.h>

#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

namespace distillery::cli {
namespace {

    // Full-data training passes 60 000 images per epoch: far fewer epochs than a 100-image set needs.
    constexpr int kFullDataEpochs = 20;

    struct EvalOptions
    {
        std::string file;
        bool full = false;
        int randomIpc = 0;
        core::EvalRequest request;
        std::string preset = "paper";
        bool json = false;
        bool quiet = false;
    };

    void runEval(EvalOptions& o, const CLI::App& cmd)
    {
        auto given = [&](const char* name) { return cmd.count(name) > 0; };
        const int modes = (!o.file.empty() ? 1 : 0) + (o.full ? 1 : 0) + (o.randomIpc > 0 ? 1 : 0);
        if (modes != 1)
            throw core::Error("eval: give exactly one of FILE, --full or --random IPC");

        core::EvalRequest request;
        core::SyntheticSet set;
        core::RunConfig base;
        core::applyPreset(base, o.preset);
        request.model = base.model;
        request.eval = base.eval;
        if (!o.file.empty()) {
            set = core::loadSyntheticSet(o.file);
            // A Distillery set remembers its run's config: same data, same network, same protocol.
            if (const auto it = set.metadata.find("config"); it != set.metadata.end()) {
                const core::RunConfig run = core::runConfigFromJson(it->second);
                request.data = run.data;
                request.model = run.model;
                request.eval = run.eval;
            }
        }
        if (given("--dataset"))
            request.data.source = o.request.data.source;
        if (given("--model"))
            request.model.arch = o.request.model.arch;
        if (given("--width"))
            request.model.width = o.request.model.width;
        if (given("--depth"))
            request.model.depth = o.request.model.depth;
        if (given("--norm"))
            request.model.norm = o.request.model.norm;
        if (given("--models"))
            request.eval.models = o.request.eval.models;
        if (given("--augment"))
            request.eval.augment = o.request.eval.augment;
        if (given("--epochs"))
            request.eval.epochs = o.request.eval.epochs;
        else if (o.full)
            request.eval.epochs = kFullDataEpochs;
        else if (given("--augment"))
            request.eval.epochs = 0; // the protocol's default for that augmentation
        core::resolveEvalProtocol(request.eval);
        request.device = o.request.device;
        request.seed = o.request.seed;
        request.threads = o.request.threads;

        core::RunControl control;
        StopOnSignal stopOnSignal(control);
        Progress progress("evaluate");
        const core::EvalProgressFn onProgress = [&](const core::EvalProgress& p) {
            if (!o.quiet)
                progress.update(static_cast<long>(p.model) * p.epochs + p.epoch, static_cast<long>(p.models) * p.epochs,
                    "model " + std::to_string(p.model + 1) + "/" + std::to_string(p.models));
        };

        core::EvalResult result;
        try {
            if (o.full)
                result = core::evaluateFullData(request, onProgress, &control);
            else if (o.randomIpc > 0)
                result = core::evaluateRandomSubset(o.randomIpc, request, onProgress, &control);
            else
                result = core::evaluateSyntheticSet(set, request, onProgress, &control);
        } catch (const core::Cancelled&) {
            progress.finish();
            std::cerr << "evaluation stopped" << std::endl;
            throw CLI::RuntimeError(130);
        }
        progress.finish();

        if (o.json) {
            nlohmann::json out = toJson(result);
            out["dataset"] = request.data.source;
            out["device"] = request.device;
            out["seed"] = request.seed;
            if (!o.file.empty())
                out["file"] = o.file;
            printJson(out);
        } else {
            std::cout << result.subject << " (" << result.trainImages << " training images) on " << request.data.source
                      << ": " << result.summary() << ", " << result.seconds << " s" << std::endl;
        }
    }

} // namespace

void addEvalCommand(CLI::App& app)
{
    auto o = std::make_shared<EvalOptions>();
    CLI::App* cmd = app.add_subcommand("eval",
        "Train fresh networks on a synthetic set (or a baseline) and test them on the real test split "
        "(docs/methods.md §1.4: final model only, mean ± std over models)");
    cmd->add_option("file", o->file, "A synthetic.safetensors, synthetic.npz or run folder");
    cmd->add_flag("--full", o->full, "Baseline: train on the whole training split");
    cmd->add_option("--random", o->randomIpc, "Baseline: a random real subset with this many images per class")
        ->check(CLI::PositiveNumber);
    cmd->add_option("--dataset", o->request.data.source, "Real data (default: the set's own, else fashion-mnist)");
    cmd->add_option("--models", o->request.eval.models, "Fresh models to train (default 5)")->check(CLI::PositiveNumber);
    cmd->add_option("--epochs", o->request.eval.epochs,
           "Epochs per model (default: 1000 with DSA, 300 without; 20 with --full)")
        ->check(CLI::PositiveNumber);
    cmd->add_option("--augment", o->request.eval.augment, "dsa or none (default: the set's protocol, else dsa)")
        ->check(CLI::IsMember({"dsa", "none"}));
    cmd->add_option("--preset", o->preset, "Network and protocol when the file names none: paper or classroom")
        ->check(CLI::IsMember({"classroom", "paper"}))
        ->default_str("paper");
    cmd->add_option("--model", o->request.model.arch, "convnet, mlp, lenet or resnet18 (cross-architecture test)")
        ->check(CLI::IsMember({"convnet", "mlp", "lenet", "resnet18"}));
    cmd->add_option("--width", o->request.model.width, "ConvNet width")->check(CLI::PositiveNumber);
    cmd->add_option("--depth", o->request.model.depth, "ConvNet depth")->check(CLI::PositiveNumber);
    cmd->add_option("--norm", o->request.model.norm, "instance, batch or none")
        ->check(CLI::IsMember({"instance", "batch", "none"}));
    cmd->add_option("--device", o->request.device, "auto, cpu, cuda or cuda:N")->default_str("auto");
    cmd->add_option("--seed", o->request.seed, "Seed of model initialisation and batch order")->default_str("0");
    cmd->add_option("--threads", o->request.threads, "CPU threads for torch (0 = every core)");
    cmd->add_flag("--json", o->json, "Print one JSON object on stdout");
    cmd->add_flag("--quiet", o->quiet, "No progress output");
    cmd->callback([o, cmd] { runEval(*o, *cmd); });
}

} // namespace distillery::cli

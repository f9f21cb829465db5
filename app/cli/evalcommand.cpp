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
#include <distillery/scores.h>
#include <distillery/syntheticio.h>
#include <distillery/syntheticset.h>

#include <CLI/CLI.hpp>

#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>

namespace distillery::cli {
namespace {

    // Full-data training passes 60 000 images per epoch: far fewer epochs than a 100-image set needs.
    constexpr int kFullDataEpochs = 20;
    constexpr std::uint64_t kRandomDrawSeedStep = 1000; // draw d: seed + 1000·d, clear of the models seed + i

    struct EvalOptions
    {
        std::string file;
        bool full = false;
        int randomIpc = 0;
        core::EvalRequest request;
        std::string preset = "paper";
        bool json = false;
        bool quiet = false;
        bool scores = false;
        double fullDataAccuracy = -1; ///< with --scores: the full-data accuracy, instead of training on it
        int randomDraws = 1; ///< with --scores: random subsets averaged for the yardstick
    };

    /// `eval FILE --scores`: the evaluations DD-Ranking's scores need, under one network and epoch count, and the
    /// scores themselves (docs/methods.md, "Scores beside the accuracy").
    void runScores(const EvalOptions& o, const core::SyntheticSet& set, const core::EvalRequest& request,
        const core::RunControl* control,
        const std::function<core::EvalResult(const std::function<core::EvalResult(const core::EvalProgressFn&)>&, const std::string&)>& step)
    {
        const int ipc = set.ipc();
        core::EvalRequest other = request; // the other augmentation, same epochs
        other.eval.augment = request.eval.augment == "dsa" ? "none" : "dsa";
        core::SyntheticSet hard = set;
        hard.softLabels.clear();
        std::vector<core::EvalResult> runs;
        const auto run = [&](const std::string& what, const std::function<core::EvalResult(const core::EvalProgressFn&)>& f) {
            runs.push_back(step(f, what));
            return runs.back().mean;
        };
        core::ScoreInputs in;
        in.synthetic = run("the set", [&](const auto& p) { return core::evaluateSyntheticSet(set, request, p, control); });
        in.syntheticHard = set.hasSoftLabels()
            ? run("the set with hard labels", [&](const auto& p) { return core::evaluateSyntheticSet(hard, request, p, control); })
            : in.synthetic;
        // One random subset is a noisy yardstick (BENCHMARKS.md, "Scores beside the accuracy"): average several draws,
        // each its own subset and models.
        const auto randomMean = [&](const core::EvalRequest& r, const std::string& what) {
            double sum = 0;
            for (int d = 0; d < o.randomDraws; ++d) {
                core::EvalRequest draw = r;
                draw.seed = r.seed + kRandomDrawSeedStep * static_cast<std::uint64_t>(d);
                sum += run(o.randomDraws > 1 ? what + " (draw " + std::to_string(d + 1) + ")" : what,
                    [&](const auto& p) { return core::evaluateRandomSubset(ipc, draw, p, control); });
            }
            return sum / o.randomDraws;
        };
        in.random = randomMean(request, "random real");
        const double syntheticOther
            = run("the set, augmentation " + other.eval.augment, [&](const auto& p) { return core::evaluateSyntheticSet(set, other, p, control); });
        const double randomOther = randomMean(other, "random real, augmentation " + other.eval.augment);
        const bool augmented = request.eval.augment == "dsa";
        in.syntheticAugmented = augmented ? in.synthetic : syntheticOther;
        in.syntheticPlain = augmented ? syntheticOther : in.synthetic;
        in.randomAugmented = augmented ? in.random : randomOther;
        in.randomPlain = augmented ? randomOther : in.random;
        if (o.fullDataAccuracy >= 0) {
            in.fullData = o.fullDataAccuracy;
        } else {
            core::EvalRequest full = request;
            full.eval.epochs = kFullDataEpochs;
            in.fullData = run("full data", [&](const auto& p) { return core::evaluateFullData(full, p, control); });
        }
        const core::Scores s = core::ddRankingScores(in);
        if (o.json) {
            nlohmann::json evaluations = nlohmann::json::array();
            for (const auto& r : runs)
                evaluations.push_back(toJson(r));
            printJson({{"file", o.file}, {"ipc", ipc}, {"accuracies_are", "fractions"},
                {"inputs",
                    {{"synthetic", in.synthetic}, {"synthetic_hard", in.syntheticHard}, {"full_data", in.fullData},
                        {"full_data_given", o.fullDataAccuracy >= 0}, {"random", in.random}, {"random_draws", o.randomDraws},
                        {"synthetic_augmented", in.syntheticAugmented}, {"synthetic_plain", in.syntheticPlain},
                        {"random_augmented", in.randomAugmented}, {"random_plain", in.randomPlain}}},
                {"scores", {{"ior", s.ior}, {"hlr", s.hlr}, {"alpha", s.alpha}, {"lrs", s.lrs}, {"beta", s.beta}, {"ars", s.ars}}},
                {"weights", {{"w", 0.5}, {"gamma", 0.5}}}, {"evaluations", evaluations}});
            return;
        }
        for (const auto& r : runs)
            std::cout << "  " << r.subject << ": " << r.summary() << std::endl;
        if (o.fullDataAccuracy >= 0)
            std::cout << "  full data (given): " << 100 * in.fullData << " %" << std::endl;
        std::printf("IOR %+.4f (set − random real)   HLR %.4f (full data − set with hard labels)\n"
                    "LRS %.4f (alpha %+.4f)   ARS %.4f (beta %+.4f); accuracies as fractions, w = gamma = 0.5\n",
            s.ior, s.hlr, s.lrs, s.alpha, s.ars, s.beta);
    }

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

        if (o.scores) {
            if (o.file.empty())
                throw core::Error("eval --scores: give the synthetic set (FILE) to score");
            try {
                runScores(o, set, request, &control, [&](const auto& evaluate, const std::string& what) {
                    if (!o.quiet)
                        std::cerr << "evaluating " << what << std::endl;
                    progress.startAt(0);
                    core::EvalResult r = evaluate(onProgress);
                    progress.finish();
                    return r;
                });
            } catch (const core::Cancelled&) {
                progress.finish();
                std::cerr << "evaluation stopped" << std::endl;
                throw CLI::RuntimeError(130);
            }
            return;
        }

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
    cmd->add_flag("--scores", o->scores,
        "With FILE: DD-Ranking's scores (IOR, HLR, LRS, ARS) from the evaluations they need: the set (and with hard "
        "labels), a random real subset, both with and without augmentation, and the full data");
    cmd->add_option("--full-data-accuracy", o->fullDataAccuracy,
           "With --scores: the full-data accuracy as a fraction (e.g. 0.935), instead of training on the whole split")
        ->check(CLI::Range(0.0, 1.0));
    cmd->add_option("--random-draws", o->randomDraws,
           "With --scores: average this many random real subsets (each its own draw and models) for IOR and ARS")
        ->check(CLI::Range(1, 100));
    cmd->add_flag("--json", o->json, "Print one JSON object on stdout");
    cmd->add_flag("--quiet", o->quiet, "No progress output");
    cmd->callback([o, cmd] { runEval(*o, *cmd); });
}

} // namespace distillery::cli

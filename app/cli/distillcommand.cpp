// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "commands.h"
#include "jsonout.h"
#include "paramoptions.h"
#include "progress.h"
#include "stopsignal.h"

#include <distillery/config.h>
#include <distillery/error.h>
#include <distillery/runcontrol.h>
#include <distillery/session.h>

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

namespace distillery::cli {
namespace {

    struct DistillOptions
    {
        std::string configFile;
        std::string preset = "classroom";
        core::RunConfig values; // only the fields given on the command line are used
        bool noEval = false;
        bool noFusedKernels = false;
        bool noCudaGraphs = false;
        bool bf16 = false;
        bool noTf32 = false;
        std::string resumeDir;
        double timeLimitMinutes = 0;
        bool json = false;
        bool quiet = false;
        std::unique_ptr<ParamOptions> params;
    };

    /// Config file (or preset defaults), then every option given explicitly on the command line.
    core::RunConfig buildConfig(const DistillOptions& o, const CLI::App& cmd)
    {
        core::RunConfig config;
        if (!o.resumeDir.empty()) {
            // Only what leaves the run's trajectory alone may change: length, device, speed switches, evaluation.
            // (Method parameters: ParamOptions refuses those not declared resumable.)
            for (const char* fixed : {"--config", "--preset", "--dataset", "--image-size", "--flips", "--color", "--method",
                     "--ipc", "--seed", "--out", "--model", "--width", "--depth", "--norm"})
                if (cmd.count(fixed))
                    throw core::Error(std::string(fixed) + " cannot change when resuming a run (it would be another run); "
                        + "start a new run instead");
            config = core::loadRunFolderConfig(o.resumeDir);
        } else if (!o.configFile.empty()) {
            config = core::loadRunConfig(o.configFile);
            if (cmd.count("--preset"))
                core::applyPreset(config, o.preset);
        } else {
            core::applyPreset(config, o.preset);
        }
        const auto& v = o.values;
        auto given = [&](const char* name) { return cmd.count(name) > 0; };
        if (given("--dataset"))
            config.data.source = v.data.source;
        if (given("--image-size"))
            config.data.imageSize = v.data.imageSize;
        if (given("--color"))
            config.data.color = v.data.color;
        if (given("--flips"))
            config.data.flips = v.data.flips;
        if (given("--method"))
            config.method = v.method;
        if (given("--ipc"))
            config.ipc = v.ipc;
        if (given("--iterations"))
            config.iterations = v.iterations;
        if (given("--device"))
            config.device = v.device;
        if (given("--seed"))
            config.seed = v.seed;
        if (given("--no-fused-kernels"))
            config.performance.fusedKernels = false;
        if (given("--no-cuda-graphs"))
            config.performance.cudaGraphs = false;
        if (given("--bf16"))
            config.performance.bf16 = true;
        if (given("--no-tf32"))
            config.performance.tf32 = false;
        if (given("--threads"))
            config.threads = v.threads;
        if (given("--out"))
            config.outDir = v.outDir;
        if (given("--experts-dir"))
            config.expertsDir = v.expertsDir;
        if (given("--model"))
            config.model.arch = v.model.arch;
        if (given("--width"))
            config.model.width = v.model.width;
        if (given("--depth"))
            config.model.depth = v.model.depth;
        if (given("--norm"))
            config.model.norm = v.model.norm;
        if (given("--eval-models"))
            config.eval.models = v.eval.models;
        if (given("--eval-epochs"))
            config.eval.epochs = v.eval.epochs;
        if (given("--eval-augment"))
            config.eval.augment = v.eval.augment;
        if (given("--eval-every"))
            config.evalEvery = v.evalEvery;
        if (given("--checkpoint-every"))
            config.checkpointEvery = v.checkpointEvery;
        if (given("--checkpoint-seconds"))
            config.checkpointSeconds = v.checkpointSeconds;
        if (o.noEval)
            config.finalEval = false;
        o.params->apply(config, !o.resumeDir.empty());
        return config;
    }

    void runDistill(const DistillOptions& o, const CLI::App& cmd)
    {
        const core::RunConfig config = buildConfig(o, cmd);
        const auto sessionPtr = o.resumeDir.empty() ? std::make_unique<core::Session>(config)
                                                    : std::make_unique<core::Session>(config, o.resumeDir);
        core::Session& session = *sessionPtr;
        core::RunControl control;
        StopOnSignal stopOnSignal(control);
        const auto started = std::chrono::steady_clock::now();
        bool outOfTime = false;

        Progress progress("distill");
        Progress evalProgress("evaluate");
        bool evaluating = false;
        core::SessionCallbacks callbacks;
        callbacks.onMessage = [&](const std::string& line) {
            if (!o.quiet) {
                progress.finish();
                std::cerr << line << std::endl;
            }
        };
        callbacks.onStep = [&](const core::StepStats& s) {
            if (o.timeLimitMinutes > 0 && !outOfTime
                && std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()
                    >= o.timeLimitMinutes * 60.0) {
                outOfTime = true; // a clean stop after this step: the checkpoint is written, --resume continues
                control.requestStop();
            }
            if (o.quiet)
                return;
            char loss[64];
            std::snprintf(loss, sizeof loss, "loss %.5g", s.loss);
            progress.update(s.iteration, s.totalIterations, loss);
        };
        callbacks.onEvalProgress = [&](const core::EvalProgress& p) {
            if (o.quiet)
                return;
            if (!evaluating) {
                progress.finish();
                evalProgress = Progress("evaluate");
                evaluating = true;
            }
            evalProgress.update(static_cast<long>(p.model) * p.epochs + p.epoch, static_cast<long>(p.models) * p.epochs,
                "model " + std::to_string(p.model + 1) + "/" + std::to_string(p.models));
        };
        std::unique_ptr<Progress> stageProgress;
        std::string stageName;
        callbacks.onStageProgress = [&](const core::StageProgress& p) {
            if (o.quiet)
                return;
            if (!stageProgress || p.stage != stageName) {
                progress.finish();
                stageName = p.stage;
                stageProgress = std::make_unique<Progress>(p.stage);
            }
            stageProgress->update(p.done, p.total, p.unit);
            if (p.done >= p.total)
                stageProgress->finish();
        };
        callbacks.onEvaluated = [&](const core::EvalResult& r) {
            evalProgress.finish();
            evaluating = false;
            if (!o.quiet)
                std::cerr << "accuracy at iteration " << r.iteration << ": " << r.summary() << std::endl;
        };

        try {
            session.prepare(callbacks, &control);
        } catch (const core::Cancelled&) {
            if (stageProgress)
                stageProgress->finish();
            std::cerr << "stopped while preparing the run; nothing to continue from (start it again)" << std::endl;
            throw CLI::RuntimeError(stopOnSignal.interrupted() ? 130 : 1);
        }
        if (stageProgress)
            stageProgress->finish();
        progress.startAt(session.startIteration()); // a resumed run's rate counts only this session's steps
        const core::RunResult result = session.run(control, callbacks);
        progress.finish();

        if (o.json) {
            nlohmann::json out = {{"run_dir", result.runDir}, {"device", result.device},
                {"iterations", result.iterations}, {"start_iteration", session.startIteration()},
                {"stopped", result.stopped}, {"time_limit_reached", outOfTime},
                {"config", nlohmann::json::parse(core::toJson(session.config()))}};
            out["evaluations"] = nlohmann::json::array();
            for (const auto& e : result.evaluations)
                out["evaluations"].push_back(toJson(e));
            printJson(out);
        } else {
            if (result.stopped) {
                std::cout << (outOfTime ? "time limit reached: stopped after " : "stopped after ") << result.iterations
                          << " of " << session.config().iterations << " iterations; the last set and checkpoint are saved"
                          << std::endl;
                if (!result.runDir.empty())
                    std::cout << "continue with: distillery-cli distill --resume " << result.runDir << std::endl;
            }
            if (!result.evaluations.empty()) {
                const core::EvalResult& last = result.evaluations.back();
                if (result.stopped) // a monitoring evaluation, not the final one
                    std::cout << "last accuracy (iteration " << last.iteration << "): " << last.summary() << std::endl;
                else
                    std::cout << "final accuracy: " << last.summary() << std::endl;
            }
            std::cout << (result.runDir.empty() ? std::string("(no run folder: --out was empty)") : result.runDir)
                      << std::endl;
        }
        if (stopOnSignal.interrupted())
            throw CLI::RuntimeError(130);
    }

} // namespace

void addDistillCommand(CLI::App& app)
{
    auto o = std::make_shared<DistillOptions>();
    CLI::App* cmd = app.add_subcommand("distill", "Distil (or select) a synthetic training set and save a run folder");
    auto& v = o->values;
    cmd->add_option("--dataset", v.data.source,
           "fashion-mnist (default), idx:<dir>, cifar10:<dir>, cifar100:<dir>, folder:<dir>, medmnist:<file.npz>")
        ->default_str("fashion-mnist");
    cmd->add_option("--method", v.method, "Method name (see `info`)")->default_str("random");
    cmd->add_option("--ipc", v.ipc, "Images per class")->default_str("10")->check(CLI::PositiveNumber);
    cmd->add_option("--iterations", v.iterations, "Outer iterations (default: the method's, for the preset)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--preset", o->preset, "classroom (a laptop CPU) or paper (reference settings)")
        ->check(CLI::IsMember({"classroom", "paper"}))
        ->default_str("classroom");
    cmd->add_option("--device", v.device, "auto, cpu, cuda or cuda:N")->default_str("auto");
    cmd->add_option("--seed", v.seed, "Seed: the same seed reproduces the same set on the CPU")->default_str("0");
    cmd->add_option("--out", v.outDir, "Parent folder of the run folder")->default_str("runs");
    cmd->add_option("--experts-dir", v.expertsDir,
        "Trajectory methods (mtt): the expert-trajectory cache (default: ~/.local/share/distillery/experts)");
    cmd->add_option("--config", o->configFile, "Start from this config.json (options given here override it)")
        ->check(CLI::ExistingFile);
    cmd->add_option("--threads", v.threads, "CPU threads for torch (0 = every core)")->check(CLI::NonNegativeNumber);
    cmd->add_option("--model", v.model.arch, "convnet, mlp, lenet or resnet18")
        ->check(CLI::IsMember({"convnet", "mlp", "lenet", "resnet18"}));
    cmd->add_option("--width", v.model.width, "ConvNet width (paper 128, classroom 32)")->check(CLI::PositiveNumber);
    cmd->add_option("--depth", v.model.depth, "ConvNet depth")->check(CLI::PositiveNumber);
    cmd->add_option("--norm", v.model.norm, "instance, batch or none")->check(CLI::IsMember({"instance", "batch", "none"}));
    o->params = std::make_unique<ParamOptions>(cmd);
    cmd->add_option("--image-size", v.data.imageSize,
        "Image folders: resize every image to N×N (8…512); 0 (default) keeps the images' own size");
    cmd->add_option("--flips", v.data.flips,
           "Horizontal flips in DSA augmentation: auto (off when the classes are numerals or single characters, "
           "e.g. digits), on or off")
        ->check(CLI::IsMember({"auto", "on", "off"}));
    cmd->add_option("--color", v.data.color, "Image folders: grey, colour or auto")
        ->check(CLI::IsMember({"grey", "colour", "auto"}));
    cmd->add_option("--eval-models", v.eval.models, "Fresh models in the final evaluation")->check(CLI::PositiveNumber);
    cmd->add_option("--eval-epochs", v.eval.epochs, "Epochs per evaluation model")->check(CLI::PositiveNumber);
    cmd->add_option("--eval-augment", v.eval.augment, "dsa or none")->check(CLI::IsMember({"dsa", "none"}));
    cmd->add_option("--eval-every", v.evalEvery, "Also evaluate every N iterations (monitoring only)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--checkpoint-every", v.checkpointEvery,
           "Write the checkpoint every N iterations (default 100; it also comes after the first iteration, on stop, and "
           "by --checkpoint-seconds); 0 = by time only")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--checkpoint-seconds", v.checkpointSeconds,
           "Also write the checkpoint after this many seconds of running (default 30: a crash loses at most that); 0 = "
           "by count only")
        ->check(CLI::NonNegativeNumber);
    cmd->add_flag("--no-eval", o->noEval, "Skip the final evaluation");
    cmd->add_flag("--no-fused-kernels", o->noFusedKernels,
        "CUDA: stock LibTorch kernels only, not Distillery's fused ConvNet forward");
    cmd->add_flag("--no-cuda-graphs", o->noCudaGraphs,
        "CUDA: run DC/DSA's inner loop launch by launch instead of replaying captured CUDA graphs");
    cmd->add_flag("--no-tf32", o->noTf32, "CUDA: full fp32 convolutions and matrix products (no TensorFloat-32)");
    cmd->add_flag("--bf16", o->bf16,
        "bfloat16 autocast for the real-image passes (DM's real embeddings, DC/DSA's real gradients); for GPUs");
    cmd->add_option("--resume", o->resumeDir,
           "Continue this run folder from its checkpoint (same config and seed; --iterations may raise the count)")
        ->check(CLI::ExistingDirectory);
    cmd->add_option("--time-limit", o->timeLimitMinutes,
           "Stop distilling cleanly after this many minutes (checkpoint kept; continue with --resume)")
        ->check(CLI::PositiveNumber);
    cmd->add_flag("--json", o->json, "Print one JSON object with the result on stdout");
    cmd->add_flag("--quiet", o->quiet, "No progress output");
    cmd->callback([o, cmd] { runDistill(*o, *cmd); });
}

} // namespace distillery::cli

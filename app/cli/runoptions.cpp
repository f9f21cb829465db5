// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "runoptions.h"

#include <distillery/config.h>
#include <distillery/error.h>
#include <distillery/session.h>

#include <CLI/CLI.hpp>

namespace distillery::cli {

void addRunOptions(CLI::App* cmd, RunOptions& o)
{
    auto& v = o.values;
    cmd->add_option("--dataset", v.data.source,
           "fashion-mnist (default), idx:<dir>, cifar10:<dir>, cifar100:<dir>, folder:<dir>, medmnist:<file.npz>")
        ->default_str("fashion-mnist");
    cmd->add_option("--method", v.method, "Method name (see `info`)")->default_str("random");
    cmd->add_option("--ipc", v.ipc, "Images per class")->default_str("10")->check(CLI::PositiveNumber);
    cmd->add_option("--iterations", v.iterations, "Outer iterations (default: the method's, for the preset)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--preset", o.preset, "classroom (a laptop CPU) or paper (reference settings)")
        ->check(CLI::IsMember({"classroom", "paper"}))
        ->default_str("classroom");
    cmd->add_option("--device", v.device, "auto, cpu, cuda or cuda:N")->default_str("auto");
    cmd->add_option("--seed", v.seed, "Seed: the same seed reproduces the same set on the CPU")->default_str("0");
    cmd->add_option("--out", v.outDir, "Parent folder of the run folder")->default_str("runs");
    cmd->add_option("--experts-dir", v.expertsDir,
        "Trajectory methods (mtt): the expert-trajectory cache (default: ~/.local/share/distillery/experts)");
    cmd->add_option("--config", o.configFile, "Start from this config.json (options given here override it)")
        ->check(CLI::ExistingFile);
    cmd->add_option("--threads", v.threads, "CPU threads for torch (0 = every core)")->check(CLI::NonNegativeNumber);
    cmd->add_option("--model", v.model.arch, "convnet, mlp, lenet or resnet18")
        ->check(CLI::IsMember({"convnet", "mlp", "lenet", "resnet18"}));
    cmd->add_option("--width", v.model.width, "ConvNet width (paper 128, classroom 32)")->check(CLI::PositiveNumber);
    cmd->add_option("--depth", v.model.depth, "ConvNet depth")->check(CLI::PositiveNumber);
    cmd->add_option("--norm", v.model.norm, "instance, batch or none")->check(CLI::IsMember({"instance", "batch", "none"}));
    o.params = std::make_unique<ParamOptions>(cmd);
    cmd->add_option("--image-size", v.data.imageSize,
        "Image folders: resize every image to N×N (8…512); 0 (default) keeps the images' own size");
    cmd->add_option("--flips", v.data.flips,
           "Horizontal flips in DSA augmentation: auto (off when the classes are numerals or single characters, "
           "e.g. digits), on or off")
        ->check(CLI::IsMember({"auto", "on", "off"}));
    cmd->add_option("--color", v.data.color, "Image folders: grey, colour or auto")
        ->check(CLI::IsMember({"grey", "colour", "auto"}));
    cmd->add_option("--select", o.select,
        "Data selection before distillation, RULE:FRACTION: drop-hardest (the highest-loss images), drop-easiest (the "
        "lowest-loss ones) or drop-random, that share of each class, e.g. drop-hardest:0.9; none keeps every image");
    cmd->add_option("--select-score", v.data.selectScore,
           "Which loss orders the drop: converged (after the scoring training, default) or early (after its first epoch)")
        ->check(CLI::IsMember({"converged", "early"}));
    cmd->add_option("--scores-dir", v.scoresDir,
        "Data selection: the loss-score cache (default: ~/.local/share/distillery/scores)");
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
    cmd->add_flag("--no-eval", o.noEval, "Skip the final evaluation");
    cmd->add_flag("--no-fused-kernels", o.noFusedKernels,
        "Stock LibTorch kernels only: not Distillery's fused ConvNet forward (CUDA) or fused norm/ReLU/pool (CPU)");
    cmd->add_flag("--no-cuda-graphs", o.noCudaGraphs,
        "CUDA: run DC/DSA's inner loop launch by launch instead of replaying captured CUDA graphs");
    cmd->add_flag("--no-tf32", o.noTf32, "CUDA: full fp32 convolutions and matrix products (no TensorFloat-32)");
    cmd->add_flag("--bf16", o.bf16,
        "bfloat16 autocast for the real-image passes (DM's real embeddings, DC/DSA's real gradients); for GPUs");
    cmd->add_option("--cpu-piece-mib", v.performance.cpuPieceMiB,
           "CPU: passes over real images run in pieces whose largest activation fits this many MiB (0 = one batch)")
        ->default_str("32")
        ->check(CLI::Range(0, 1024 * 1024));
}

core::RunConfig buildRunConfig(const RunOptions& o, const CLI::App& cmd)
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
    else if (o.configFile.empty() && o.resumeDir.empty() && !o.defaultMethod.empty())
        config.method = o.defaultMethod;
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
    if (given("--cpu-piece-mib"))
        config.performance.cpuPieceMiB = v.performance.cpuPieceMiB;
    if (given("--threads"))
        config.threads = v.threads;
    if (given("--out"))
        config.outDir = v.outDir;
    if (given("--experts-dir"))
        config.expertsDir = v.expertsDir;
    if (given("--scores-dir"))
        config.scoresDir = v.scoresDir;
    if (given("--select-score"))
        config.data.selectScore = v.data.selectScore;
    if (given("--select")) {
        const auto colon = o.select.find(':');
        config.data.select = o.select.substr(0, colon);
        if (config.data.select == "none") {
            config.data.selectFraction = 0;
        } else {
            const std::string fraction = colon == std::string::npos ? std::string() : o.select.substr(colon + 1);
            std::size_t used = 0;
            double value = 0;
            try {
                value = std::stod(fraction, &used);
            } catch (const std::exception&) {
                used = 0;
            }
            if (fraction.empty() || used != fraction.size())
                throw core::Error("--select: \"" + o.select + "\" is not RULE:FRACTION (e.g. drop-hardest:0.9)");
            config.data.selectFraction = value; // its range is checked with the rest of the config
        }
    }
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

} // namespace distillery::cli

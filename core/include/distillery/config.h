// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/parameters.h>

#include <cstdint>
#include <string>
#include <vector>

namespace distillery::core {

/// Which data set, and how to read it. `source` is one of
///   fashion-mnist | idx:<dir> | cifar10:<dir> | cifar100:<dir> | folder:<dir> | medmnist:<file.npz>
struct DataConfig
{
    std::string source = "fashion-mnist";
    /// Image folders only: 0 keeps the images' own size when they all share it (when they do not, the most common
    /// size is used and the log says so); N resizes every image to N × N.
    int imageSize = 0;
    /// Horizontal flips in DSA augmentation: "auto" decides by the data's kind (no flips when the classes are
    /// numerals or unnamed: a mirrored digit or letter is another symbol), "on" or "off" decides for the user.
    std::string flips = "auto";
    /// Image folders only: "grey", "colour", or "auto" (grey when every sampled image is grey).
    std::string color = "auto";
    /// Image folders without train/ and test/: share of each class held out as the test split.
    double testFraction = 0.2;
    /// Seed of that split, so the same folder always gives the same split.
    std::uint64_t splitSeed = 0;
    /// Data selection before distillation (docs/methods.md §10): the method draws its real images (real batches,
    /// real starting images, coreset candidates) only from what is kept of each class. "none" keeps everything;
    /// drop-hardest / drop-easiest drop the images with the highest / lowest loss under a network trained on the
    /// whole training split (selectScore says which loss); drop-random drops a random share.
    std::string select = "none";
    double selectFraction = 0; ///< share of each class dropped, in [0, 1); rounded down per class
    std::string selectScore = "converged"; ///< converged | early: the loss after the scoring training or after its first epoch
};

/// The network used to distil and, by default, to evaluate. docs/methods.md §1.1.
struct ModelConfig
{
    std::string arch = "convnet"; ///< convnet | mlp | lenet | resnet18
    int width = 128; ///< ConvNet channels per block
    int depth = 3; ///< ConvNet blocks
    std::string norm = "instance"; ///< instance | batch | none
    std::string activation = "relu"; ///< relu | leakyrelu | sigmoid
    std::string pooling = "avg"; ///< avg | max | none
};

/// The evaluation protocol of docs/methods.md §1.4: fresh networks trained on the synthetic set only.
struct EvalConfig
{
    int models = 5; ///< fresh networks per evaluation; report mean ± population std over them
    int epochs = 1000; ///< the loop runs epochs + 1 passes, lr × 0.1 after pass ⌊epochs/2⌋ + 1; 0 = protocol default
    std::string augment = "dsa"; ///< dsa | none; empty = the method's reference protocol
    std::string dsaStrategy = ""; ///< empty: the data set's reference strategy
    double lr = 0.01;
    double momentum = 0.9;
    double weightDecay = 5e-4;
    int batchSize = 256;
};

/// Speed settings that apply on CUDA only. Each is kept only where BENCHMARKS.md shows the accuracy holds.
struct PerformanceConfig
{
    bool tf32 = true; ///< TensorFloat-32 in convolutions and matrix products
    bool cudnnBenchmark = true; ///< let cuDNN time its algorithms for the fixed shapes of a run
    bool channelsLast = false; ///< NHWC memory layout for images and convolution weights
    bool fusedKernels = true; ///< Distillery's fused ConvNet kernels: CUDA no-grad forwards where built; the CPU's norm/ReLU/pool
    bool cudaGraphs = true; ///< DC/DSA's inner training loop captured once as CUDA graphs and replayed (CUDA)
    /// bfloat16 autocast for the passes over real images whose results are constant targets (DM's real
    /// embeddings, DC/DSA's real gradients); everything differentiated with respect to the synthetic images stays
    /// fp32. Meant for tensor-core GPUs; off by default until its accuracy is measured (BENCHMARKS.md).
    bool bf16 = false;
    /// CPU only: the passes over real images (DM's embeddings, DC/DSA's real gradients, the test split) run in
    /// pieces whose largest activation stays within this many MiB; 0 = one batch as on a GPU. The default is
    /// measured (BENCHMARKS.md, "CPU against the reference"); results equal the one-batch pass up to rounding.
    int cpuPieceMiB = 32;
};

/// Everything that defines one run. Saved as config.json in the run folder; the same config (with its seed)
/// reproduces the same synthetic set on the CPU.
/// A config is either a request (what the user set: fields on 0/empty/"auto" and parameters left out are decided
/// later) or resolved (resolveConfig: everything decided, what a run uses and config.json records). A resolved
/// config is never turned back into the next request (docs/architecture.md, "Request and resolved").
struct RunConfig
{
    std::string method = "random";
    int ipc = 10; ///< images per class
    int iterations = 0; ///< 0 (auto): the method's default for the preset
    std::string preset = "classroom"; ///< classroom | paper
    std::string device = "auto"; ///< auto | cpu | cuda | cuda:N
    std::uint64_t seed = 0;
    int threads = 0; ///< CPU threads for torch; 0 = every core

    DataConfig data;
    ModelConfig model;
    /// The method's own parameters (declared by the method, parameters.h); in a request only those set.
    ParamValues params;
    EvalConfig eval;
    PerformanceConfig performance;

    int snapshotEvery = 1; ///< iterations between snapshots handed to the caller
    int evalEvery = 0; ///< iterations between monitoring evaluations; 0 = only the final one
    bool finalEval = true; ///< evaluate the final synthetic set with `eval`
    /// A checkpoint (checkpoint.safetensors) is written after the first iteration, then every checkpointEvery
    /// iterations or every checkpointSeconds of running, whichever comes first, and always when the run stops: a
    /// crash or a kill loses at most about that much work. 0 turns either rule off.
    int checkpointEvery = 100;
    double checkpointSeconds = 30;
    std::string outDir = "runs"; ///< parent folder of the run folder; empty = write nothing
    /// Where trajectory methods (MTT) keep their expert trajectories; empty = the default cache folder
    /// (distillery/experts.h: defaultExpertsDir). A cache location, not part of what a run computes.
    std::string expertsDir;
    /// Where data selection keeps the per-image loss scores it computes; empty = the default cache folder
    /// ($XDG_DATA_HOME/distillery/scores). A cache location, like expertsDir.
    std::string scoresDir;
};

/// The names accepted for RunConfig::preset.
std::vector<std::string> presetNames();

/// Applies a preset's model and evaluation settings (classroom: narrow ConvNet, short evaluation on a laptop
/// CPU; paper: the reference ConvNet and protocol). Method hyperparameters are filled in later by the method,
/// from `config.preset`. Throws Error for an unknown preset.
void applyPreset(RunConfig& config, const std::string& preset);

/// Fills an evaluation left open by the paper preset: augment "" → `defaultAugment`; epochs 0 → 1000 with DSA,
/// 300 without (docs/methods.md §1.4).
void resolveEvalProtocol(EvalConfig& eval, const std::string& defaultAugment = "dsa");

/// JSON text of a config (pretty-printed, every field present).
std::string toJson(const RunConfig& config);


/// Writes toJson(config) to `path` atomically (the old file or the new one, never half); Error naming the file
/// when it cannot. Reading one back: request.h.
void saveRunConfig(const RunConfig& config, const std::string& path);


} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/config.h>

#include <functional>
#include <string>
#include <vector>

namespace distillery::core {

struct BenchResult
{
    std::string method;
    std::string device;
    std::string preset;
    int ipc = 0;
    int warmup = 0;
    std::vector<double> stepMs; ///< each timed iteration, device work included
    double medianMs = 0;
    double meanMs = 0;
    double minMs = 0;
    double iterationsPerSecond = 0; ///< 1000 / median
    long long peakMemoryBytes = 0; ///< torch's peak device allocation (0 on the CPU)
    double setupSeconds = 0; ///< data loading and method initialisation
    bool fusedKernels = false; ///< the fused ConvNet kernels (CUDA, or the CPU's) were available and switched on
    bool bf16 = false; ///< real-image passes under bf16 autocast (performance.bf16)
    int images = 0; ///< benchmarkForward: images per forward
    std::string configJson; ///< the resolved config that was timed
    std::vector<std::string> notes; ///< what the method said while timed (e.g. whether CUDA graphs were captured)
};

/// Times a method's outer iterations: prepares data and method exactly as a run does, runs `warmup` iterations
/// (cuDNN autotuning, allocator growth), then `iterations` timed ones, each ended by a device synchronisation.
/// `progress(done, total)` is called after every iteration, warm-up included. With `tracePath`, LibTorch's profiler
/// records the timed iterations (op by op, times inflated by the recording) into that Chrome-trace JSON file.
BenchResult benchmarkMethod(const RunConfig& config, int warmup, int iterations,
    const std::function<void(int, int)>& progress = {}, const std::string& tracePath = {});

/// Times one no-grad forward (logits) of `images` images through the configured model: DM's real-data side, and
/// test-set evaluation. Training images, or the test split with `testSplit` (`images` ≤ its size). `method` in
/// the result is "forward".
BenchResult benchmarkForward(const RunConfig& config, int images, bool testSplit, int warmup, int iterations,
    const std::function<void(int, int)>& progress = {}, const std::string& tracePath = {});

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "nn/network.h"

#include <distillery/config.h>

#include <torch/torch.h>

#include <string>

namespace distillery::core {

/// Bytes that a differentiable unroll of `steps` student steps on `batch` images keeps alive until its backward:
/// every layer's activations, three times (the forward, the graph of its gradient, the backward's buffers). An
/// estimate from the layer sizes (BENCHMARKS.md, "MTT", compares it with a measured peak).
std::int64_t unrollBytes(const ModelConfig& model, const NetworkShape& shape, int steps, int batch);

/// Memory the process may still take: MemAvailable on Linux for the CPU; -1 when unknown (CUDA: LibTorch's C++
/// API does not say, and an out-of-memory error is reported with the estimate instead).
std::int64_t availableBytes(torch::Device device);

/// Error naming `setting`, the estimate and what is available when the unroll cannot fit; nothing when it can or
/// when the available memory is unknown.
void checkUnrollFits(const ModelConfig& model, const NetworkShape& shape, int steps, int batch, torch::Device device,
    const std::string& setting);

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/config.h>

#include <string>

namespace distillery::core {

/// Applies the speed settings process-wide: the fused kernels' switch on any device, and on CUDA also TF32 and
/// cuDNN autotuning.
void applyPerformanceSettings(const PerformanceConfig& performance, const std::string& device);

/// Whether Distillery's fused ConvNet kernels run on `device`: always on "cpu" (the norm/ReLU/pool tail, forward and
/// backward); on "cuda:N" where this build has the CUDA kernels for its architecture (no-grad forwards).
bool fusedKernelsAvailable(const std::string& device);

/// Whether this build can capture CUDA graphs and `device` is a CUDA device ("cuda:N"; false on the CPU).
bool cudaGraphsAvailable(const std::string& device);

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/config.h>

#include <string>

namespace distillery::core {

/// Applies the CUDA speed settings (TF32, cuDNN benchmark, fused kernels) process-wide; nothing on the CPU.
void applyPerformanceSettings(const PerformanceConfig& performance, const std::string& device);

/// Whether this build has Distillery's fused ConvNet kernels and they run on `device` ("cuda:N"; false on the CPU).
bool fusedKernelsAvailable(const std::string& device);

/// Whether this build can capture CUDA graphs and `device` is a CUDA device ("cuda:N"; false on the CPU).
bool cudaGraphsAvailable(const std::string& device);

} // namespace distillery::core

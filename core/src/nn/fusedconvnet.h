// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <torch/torch.h>

namespace distillery::core {

// The fused CUDA kernels of the ConvNet's no-grad forward (cuda/fusedkernels.cu, issue #6), seen from torch.
// In a build without them (any CPU LibTorch) fusedKernelsUsable() is false and the ConvNet takes the stock path.

/// Process-wide switch, like cuDNN's TF32 flag; set from PerformanceConfig::fusedKernels for a CUDA run.
void setFusedKernelsEnabled(bool enabled);
bool fusedKernelsEnabled();

/// Built with the kernels, and they were compiled for `device`'s architecture.
bool fusedKernelsUsable(const torch::Device& device);

/// Conv 3×3 (stride 1, `padding`) → instance norm with affine → ReLU → 2×2 average pool, in one kernel, for
/// float32 or bfloat16 NCHW input; parameters may be any floating type. `out`, when given, must have the
/// result's shape, dtype and device (tests poison it to prove every element is written).
bool fusedConvBlockSupports(const torch::Tensor& input, int padding);
torch::Tensor fusedConvBlock(const torch::Tensor& input, const torch::Tensor& weight, const torch::Tensor& bias,
    int padding, const torch::Tensor& gamma, const torch::Tensor& beta, double eps, torch::Tensor out = {});

/// Instance norm with affine → ReLU → 2×2 average pool over a convolution's output.
torch::Tensor fusedNormReluPool(const torch::Tensor& input, const torch::Tensor& gamma, const torch::Tensor& beta,
    double eps, torch::Tensor out = {});

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <torch/torch.h>

#include <string>

namespace distillery::core {

/// Epsilon of the instance norm (GroupNorm, one group per channel), as the reference; the fused CUDA path uses it too.
inline constexpr double kInstanceNormEps = 1e-5;

/// Building blocks shared by the architectures; each throws Error naming the setting for an unknown value.
torch::nn::AnyModule makeNorm(const std::string& norm, std::int64_t channels); ///< instance | batch | none
torch::nn::AnyModule makeActivation(const std::string& activation); ///< relu | leakyrelu | sigmoid
torch::nn::AnyModule makePool(const std::string& pooling); ///< avg | max | none (2×2, stride 2)

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <torch/torch.h>

#include <string>

namespace distillery::core {

/// Epsilon of the instance norm (GroupNorm, one group per channel), as the reference; the fused CUDA path uses it too.
inline constexpr double kInstanceNormEps = 1e-5;

/// Instance norm with an affine (GroupNorm with one group per channel, as the reference). An input of lower
/// precision than the weights (bf16 under autocast) is normalised in the weights' precision, as CUDA's autocast
/// policy does for group norm; LibTorch's CPU autocast would pass it on as is and fail on the mixed types.
torch::Tensor instanceNorm(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias);

/// The module form of instanceNorm(); a GroupNorm, so code that looks for GroupNorm layers finds it.
class InstanceNormImpl final : public torch::nn::GroupNormImpl
{
public:
    explicit InstanceNormImpl(std::int64_t channels);
    torch::Tensor forward(const torch::Tensor& x);
};

/// 2×2 average pooling, stride 2 (floor for odd sizes). On the CPU, LibTorch 1.13's avg_pool2d took 5 ms for a
/// 100×32×32×32 batch that two strided additions pool in 0.45 ms, and their gradient is one nearest-neighbour
/// upsampling; other devices use the library op.
torch::Tensor avgPool2x2(torch::Tensor x);

/// A ConvNet block's tail from library operations: instanceNorm → ReLU → avgPool2x2. What the CPU's fused pass
/// (nn/cpunormrelupool) computes in one go, and what it falls back to where it cannot (bf16, gradients of gradients).
torch::Tensor instanceNormReluPool(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias);

/// The functional forms of makeActivation() and makePool(), for networks run with explicit parameters
/// (class-parallel gradients, the functional forward).
torch::Tensor activate(const torch::Tensor& x, const std::string& activation); ///< relu | leakyrelu | sigmoid
torch::Tensor pool2x2(const torch::Tensor& x, const std::string& pooling); ///< avg | max | none

/// Building blocks shared by the architectures; each throws Error naming the setting for an unknown value.
torch::nn::AnyModule makeNorm(const std::string& norm, std::int64_t channels); ///< instance | batch | none
torch::nn::AnyModule makeActivation(const std::string& activation); ///< relu | leakyrelu | sigmoid
torch::nn::AnyModule makePool(const std::string& pooling); ///< avg | max | none (2×2, stride 2)

} // namespace distillery::core

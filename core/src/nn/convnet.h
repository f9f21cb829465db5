// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "nn/network.h"

namespace distillery::core {

/// The reference ConvNet of dataset condensation (docs/methods.md §1.1): `depth` blocks of
/// conv 3×3 → norm → activation → pool, then one linear classifier on the flattened features.
/// A 28×28 input gets padding 3 in the first conv, so 1×28×28 yields the reference 2048-d feature.
class ConvNetImpl final : public NetworkImpl
{
public:
    ConvNetImpl(const ModelConfig& config, const NetworkShape& shape);

    torch::Tensor forward(torch::Tensor x) override;
    torch::Tensor embed(torch::Tensor x) override;
    std::int64_t featureDim() const override { return m_featureDim; }
    std::string description() const override { return m_description; }

    /// The parameters of one block, for functional re-implementations (class-parallel gradient matching).
    struct Block
    {
        torch::Tensor convWeight;
        torch::Tensor convBias;
        int padding = 1;
        torch::Tensor normWeight; ///< undefined without a norm layer
        torch::Tensor normBias;
    };
    const std::vector<Block>& blocks() const { return m_blocks; }
    const torch::Tensor& classifierWeight() const { return m_classifier->weight; }
    const torch::Tensor& classifierBias() const { return m_classifier->bias; }
    const ModelConfig& config() const { return m_config; }

    /// Whether a no-grad forward of `x` takes the fused CUDA kernels (nn/fusedconvnet.h): instance norm, ReLU
    /// and average pooling, a CUDA float32/bfloat16 input, the kernels built and switched on.
    bool usesFusedPath(const torch::Tensor& x) const;
    /// Whether a forward of `x` (with or without gradients) runs each block's norm, ReLU and pool as one CPU pass
    /// (nn/cpunormrelupool.h): the same configuration, a CPU float32 input, the fused kernels switched on.
    bool usesCpuFusedPath(const torch::Tensor& x) const;

private:
    torch::Tensor fusedFeatures(const torch::Tensor& x);
    torch::Tensor cpuFusedFeatures(const torch::Tensor& x);


    torch::nn::Sequential m_features{nullptr};
    torch::nn::Linear m_classifier{nullptr};
    std::int64_t m_featureDim = 0;
    std::string m_description;
    ModelConfig m_config;
    std::vector<Block> m_blocks;
    bool m_fusable = false; ///< the configuration the fused kernels implement
};

} // namespace distillery::core

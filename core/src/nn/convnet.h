// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "nn/network.h"

namespace distillery::core {

/// The reference ConvNet of dataset condensation (METHODS.md §1.1): `depth` blocks of
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

private:
    torch::nn::Sequential m_features{nullptr};
    torch::nn::Linear m_classifier{nullptr};
    std::int64_t m_featureDim = 0;
    std::string m_description;
};

} // namespace distillery::core

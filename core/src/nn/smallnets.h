// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// The small reference networks of the DC code base, for cross-architecture evaluation.
#pragma once

#include "nn/network.h"

namespace distillery::core {

/// Three fully connected layers, 128 hidden units each (DC-repo `MLP`); embed() is the second hidden layer.
class MlpImpl final : public NetworkImpl
{
public:
    MlpImpl(const ModelConfig& config, const NetworkShape& shape);
    torch::Tensor forward(torch::Tensor x) override;
    torch::Tensor embed(torch::Tensor x) override;
    std::int64_t featureDim() const override { return kHidden; }
    std::string description() const override { return "MLP-128"; }

private:
    static constexpr std::int64_t kHidden = 128;
    torch::nn::Linear m_fc1{nullptr};
    torch::nn::Linear m_fc2{nullptr};
    torch::nn::Linear m_fc3{nullptr};
    torch::nn::AnyModule m_act;
};

/// LeNet-5 as in DC-repo / DD-repo: conv 6@5×5 (padding 2 for 28×28), max-pool, conv 16@5×5, max-pool,
/// FC 120 → 84 → K; embed() is the 84-d layer.
class LeNetImpl final : public NetworkImpl
{
public:
    LeNetImpl(const ModelConfig& config, const NetworkShape& shape);
    torch::Tensor forward(torch::Tensor x) override;
    torch::Tensor embed(torch::Tensor x) override;
    std::int64_t featureDim() const override { return 84; }
    std::string description() const override { return "LeNet"; }

private:
    torch::nn::Sequential m_features{nullptr};
    torch::nn::Linear m_fc1{nullptr};
    torch::nn::Linear m_fc2{nullptr};
    torch::nn::Linear m_fc3{nullptr};
    torch::nn::AnyModule m_act;
};

/// ResNet-18 for small images (3×3 stem, no max-pool; stages 64/128/256/512; global average pool), with the
/// configured normalisation (batch for the usual cross-architecture check).
class ResNet18Impl final : public NetworkImpl
{
public:
    ResNet18Impl(const ModelConfig& config, const NetworkShape& shape);
    torch::Tensor forward(torch::Tensor x) override;
    torch::Tensor embed(torch::Tensor x) override;
    std::int64_t featureDim() const override { return 512; }
    std::string description() const override { return m_description; }

private:
    torch::nn::Sequential m_body{nullptr};
    torch::nn::Linear m_classifier{nullptr};
    std::string m_description;
};

} // namespace distillery::core

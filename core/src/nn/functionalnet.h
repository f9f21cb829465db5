// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "nn/network.h"

#include <torch/torch.h>

#include <string>
#include <vector>

namespace distillery::core {

/// A network's forward with its parameters passed in as one flat vector (docs/methods.md, "Functional forward"),
/// so an unrolled student can take gradient steps θ ← θ − α∇ℓ(θ) with create_graph and differentiate through
/// them (MTT, DD). The flat layout is the module's parameters() order, each tensor row-major; the expert
/// trajectories store exactly this vector. Supported: the ConvNet with instance norm or none (batch norm would
/// need running statistics that a flat vector does not carry) and LeNet.
class FunctionalNet final
{
public:
    static bool supports(const ModelConfig& config);
    /// "" when supported, else why not (for an error naming model.arch / model.norm).
    static std::string unsupportedReason(const ModelConfig& config);

    /// Reads the architecture and parameter shapes of `net` (built from `config`); Error when not supported.
    FunctionalNet(NetworkImpl& net, const ModelConfig& config);

    /// The number of values in the flat vector.
    std::int64_t size() const { return m_size; }

    /// A detached copy of the module's parameters as one flat vector (float32, on the module's device).
    torch::Tensor flatten(NetworkImpl& net) const;
    /// Copies a flat vector into the module's parameters (no gradient).
    void load(NetworkImpl& net, const torch::Tensor& flat) const;

    /// Logits of `x` under the parameters `flat` (differentiable with respect to both). The same arithmetic as
    /// the module's forward in train mode (tst_functionalnet checks it).
    torch::Tensor forward(const torch::Tensor& flat, const torch::Tensor& x) const;

private:
    /// The i-th parameter as a view of `flat`.
    torch::Tensor param(const torch::Tensor& flat, std::size_t i) const;

    ModelConfig m_config;
    std::vector<std::vector<std::int64_t>> m_shapes;
    std::vector<std::int64_t> m_offsets;
    std::vector<int> m_paddings; ///< per conv layer
    std::int64_t m_size = 0;
};

} // namespace distillery::core

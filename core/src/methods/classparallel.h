// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "nn/convnet.h"

#include <torch/torch.h>

#include <vector>

namespace distillery::core {

/// Per-class gradients of a ConvNet in one pass instead of a loop over classes (gradient matching's hot path).
/// The network's weights are repeated once per class and the classes run side by side as groups of a grouped
/// convolution: class k's images see only copy k, so the gradient with respect to copy k is exactly the gradient
/// of class k's mean loss. Instance norm (or none) keeps samples independent; batch norm would mix them, so it is
/// not supported (callers fall back to the loop).
class ClassParallelConvNet final
{
public:
    static bool supports(const ModelConfig& config);

    ClassParallelConvNet(ConvNetImpl& net, int classes);

    /// Gradients of Σ_k mean CE(f(x_k), k) with respect to each weight of rank ≥ 2 (conv weights, classifier), each
    /// shaped (K, …) with row k = class k's gradient. `images` is class-major, the same count per class.
    /// `createGraph` keeps them differentiable with respect to the images (the synthetic side).
    std::vector<torch::Tensor> classGradients(const torch::Tensor& images, bool createGraph);

    /// Per-class layer-wise matching distance (docs/methods.md §4): (K) from per-class gradients of both sides.
    static torch::Tensor classDistances(const std::vector<torch::Tensor>& synthetic, const std::vector<torch::Tensor>& real);

private:
    torch::Tensor forward(const torch::Tensor& images, const std::vector<torch::Tensor>& weights);

    ConvNetImpl& m_net;
    int m_classes;
};

} // namespace distillery::core

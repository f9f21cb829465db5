// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "methods/classparallel.h"

#include "nn/layers.h"

#include <distillery/error.h>

namespace distillery::core {

bool ClassParallelConvNet::supports(const ModelConfig& config)
{
    return config.arch == "convnet" && (config.norm == "instance" || config.norm == "none");
}

ClassParallelConvNet::ClassParallelConvNet(ConvNetImpl& net, int classes)
    : m_net(net)
    , m_classes(classes)
{
    if (!supports(net.config()))
        throw Error("class-parallel gradients need a ConvNet with instance norm or none");
}

torch::Tensor ClassParallelConvNet::forward(const torch::Tensor& images, const std::vector<torch::Tensor>& weights)
{
    const ModelConfig& config = m_net.config();
    const std::int64_t k = m_classes;
    const std::int64_t perClass = images.size(0) / k;
    // (K·B, C, H, W) class-major → (B, K·C, H, W): class k occupies channel group k.
    torch::Tensor x = images.reshape({k, perClass, images.size(1), images.size(2), images.size(3)})
                          .transpose(0, 1)
                          .reshape({perClass, k * images.size(1), images.size(2), images.size(3)});
    const auto& blocks = m_net.blocks();
    for (std::size_t d = 0; d < blocks.size(); ++d) {
        const auto& b = blocks[d];
        const torch::Tensor w = weights[d]; // (K, out, in, 3, 3)
        const std::int64_t out = w.size(1);
        x = torch::conv2d(x, w.reshape({k * out, w.size(2), w.size(3), w.size(4)}), b.convBias.repeat({k}), 1, b.padding,
            1, k);
        if (config.norm == "instance") // one group per channel: instance norm of every class's every channel
            x = instanceNorm(x, b.normWeight.repeat({k}), b.normBias.repeat({k}));
        x = pool2x2(activate(x, config.activation), config.pooling);
    }
    const torch::Tensor features = x.reshape({perClass, k, -1}); // (B, K, F), each class's features in its order
    const torch::Tensor& fc = weights.back(); // (K, classes, F)
    return torch::einsum("bkf,kcf->bkc", {features, fc}) + m_net.classifierBias(); // (B, K, classes)
}

std::vector<torch::Tensor> ClassParallelConvNet::classGradients(const torch::Tensor& images, bool createGraph)
{
    const std::int64_t k = m_classes;
    const std::int64_t perClass = images.size(0) / k;
    if (perClass * k != images.size(0))
        throw Error("class-parallel gradients need the same number of images for every class");
    // One copy of every weight per class, as leaves: their gradients are the per-class gradients.
    std::vector<torch::Tensor> weights;
    for (const auto& b : m_net.blocks())
        weights.push_back(b.convWeight.detach().unsqueeze(0).repeat({k, 1, 1, 1, 1}).requires_grad_());
    weights.push_back(m_net.classifierWeight().detach().unsqueeze(0).repeat({k, 1, 1}).requires_grad_());

    const torch::Tensor logits = forward(images, weights);
    const auto classes = logits.size(2);
    const torch::Tensor targets = torch::arange(k, torch::TensorOptions().dtype(torch::kInt64).device(images.device()))
                                      .repeat({perClass});
    // Σ_k (mean over class k's B images of CE): the sum over all B·K terms divided by B.
    const torch::Tensor loss = torch::nn::functional::cross_entropy(logits.reshape({perClass * k, classes}), targets,
                                   torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
        / static_cast<double>(perClass);
    std::vector<torch::Tensor> grads = torch::autograd::grad({loss}, weights, {}, createGraph, createGraph);
    if (!createGraph)
        for (auto& g : grads)
            g = g.detach();
    return grads;
}

torch::Tensor ClassParallelConvNet::classDistances(
    const std::vector<torch::Tensor>& synthetic, const std::vector<torch::Tensor>& real)
{
    torch::Tensor total;
    for (std::size_t i = 0; i < synthetic.size(); ++i) {
        const auto k = synthetic[i].size(0), rows = synthetic[i].size(1);
        const torch::Tensor s = synthetic[i].reshape({k, rows, -1});
        const torch::Tensor r = real[i].reshape({k, rows, -1});
        const torch::Tensor d = (1 - (s * r).sum(-1) / (s.norm(2, {-1}) * r.norm(2, {-1}) + 1e-6)).sum(1); // (K)
        total = total.defined() ? total + d : d;
    }
    return total;
}

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "nn/functionalnet.h"

#include "nn/convnet.h"
#include "nn/layers.h"

#include <distillery/error.h>

namespace distillery::core {

std::string FunctionalNet::unsupportedReason(const ModelConfig& config)
{
    if (config.arch == "lenet")
        return "";
    if (config.arch != "convnet")
        return "model.arch: trajectory methods run the ConvNet or LeNet with explicit parameters; \"" + config.arch
            + "\" is not supported";
    if (config.norm == "batch")
        return "model.norm: trajectory methods need instance norm or none (batch norm's running statistics are not "
               "part of the parameters an unrolled student carries)";
    return "";
}

bool FunctionalNet::supports(const ModelConfig& config)
{
    return unsupportedReason(config).empty();
}

FunctionalNet::FunctionalNet(NetworkImpl& net, const ModelConfig& config)
    : m_config(config)
{
    if (const std::string why = unsupportedReason(config); !why.empty())
        throw Error(why);
    for (const auto& p : net.parameters()) {
        m_offsets.push_back(m_size);
        m_shapes.push_back(p.sizes().vec());
        m_size += p.numel();
    }
    if (config.arch == "convnet") {
        auto* convnet = dynamic_cast<ConvNetImpl*>(&net);
        if (!convnet)
            throw Error("functional forward: the network is not a ConvNet");
        for (const auto& b : convnet->blocks())
            m_paddings.push_back(b.padding);
        const std::size_t perBlock = config.norm == "instance" ? 4 : 2;
        if (m_shapes.size() != perBlock * m_paddings.size() + 2)
            throw Error("functional forward: unexpected ConvNet parameter layout");
    } else {
        // LeNet: conv1 (padding 2 at 28×28, else 0), conv2, fc1, fc2, fc3.
        if (m_shapes.size() != 10)
            throw Error("functional forward: unexpected LeNet parameter layout");
        m_paddings = {-1, 0}; // the first is decided by the input size, as LeNetImpl does
    }
}

torch::Tensor FunctionalNet::param(const torch::Tensor& flat, std::size_t i) const
{
    std::int64_t n = 1;
    for (auto d : m_shapes[i])
        n *= d;
    return flat.slice(0, m_offsets[i], m_offsets[i] + n).view(m_shapes[i]);
}

torch::Tensor FunctionalNet::flatten(NetworkImpl& net) const
{
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> parts;
    for (const auto& p : net.parameters())
        parts.push_back(p.detach().to(torch::kFloat).reshape({-1}));
    return torch::cat(parts);
}

void FunctionalNet::load(NetworkImpl& net, const torch::Tensor& flat) const
{
    if (flat.dim() != 1 || flat.size(0) != m_size)
        throw Error("functional forward: " + std::to_string(flat.numel()) + " parameter values for a network of "
            + std::to_string(m_size));
    torch::NoGradGuard noGrad;
    std::size_t i = 0;
    for (auto& p : net.parameters())
        p.copy_(param(flat, i++));
}

torch::Tensor FunctionalNet::forward(const torch::Tensor& flat, const torch::Tensor& x) const
{
    std::size_t i = 0;
    torch::Tensor h = x;
    if (m_config.arch == "convnet") {
        for (int padding : m_paddings) {
            const torch::Tensor w = param(flat, i++);
            const torch::Tensor b = param(flat, i++);
            h = torch::conv2d(h, w, b, 1, padding);
            if (m_config.norm == "instance") {
                const torch::Tensor nw = param(flat, i++);
                const torch::Tensor nb = param(flat, i++);
                h = instanceNorm(h, nw, nb);
            }
            h = pool2x2(activate(h, m_config.activation), m_config.pooling);
        }
        const torch::Tensor w = param(flat, i++);
        const torch::Tensor b = param(flat, i++);
        return torch::nn::functional::linear(h.flatten(1), w, b);
    }
    const bool pad28 = x.size(2) == 28 && x.size(3) == 28;
    for (int layer = 0; layer < 2; ++layer) {
        const torch::Tensor w = param(flat, i++);
        const torch::Tensor b = param(flat, i++);
        h = torch::max_pool2d(activate(torch::conv2d(h, w, b, 1, layer == 0 && pad28 ? 2 : 0), m_config.activation), 2, 2);
    }
    h = h.flatten(1);
    for (int layer = 0; layer < 3; ++layer) {
        const torch::Tensor w = param(flat, i++);
        const torch::Tensor b = param(flat, i++);
        h = torch::nn::functional::linear(h, w, b);
        if (layer < 2)
            h = activate(h, m_config.activation);
    }
    return h;
}

} // namespace distillery::core

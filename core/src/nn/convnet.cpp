// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "nn/convnet.h"

#include "nn/cpunormrelupool.h"
#include "nn/fusedconvnet.h"
#include "nn/layers.h"

#include <distillery/error.h>

namespace distillery::core {

ConvNetImpl::ConvNetImpl(const ModelConfig& config, const NetworkShape& shape)
    : m_description(describe(config))
    , m_config(config)
{
    namespace nn = torch::nn;
    if (config.width < 1 || config.depth < 1)
        throw Error("model: ConvNet width and depth must be at least 1");
    // Distillery rule (docs/methods.md §1.1): a 28×28 input is padded by 3 in the first conv and treated as 32×32,
    // for any channel count; otherwise padding 1 keeps the size.
    const bool pad28 = shape.height == 28 && shape.width == 28;
    std::int64_t h = pad28 ? 32 : shape.height;
    std::int64_t w = pad28 ? 32 : shape.width;

    m_features = nn::Sequential();
    std::int64_t in = shape.channels;
    for (int d = 0; d < config.depth; ++d) {
        const int padding = (d == 0 && pad28) ? 3 : 1;
        nn::Conv2d conv(nn::Conv2dOptions(in, config.width, 3).stride(1).padding(padding));
        torch::nn::AnyModule norm = makeNorm(config.norm, config.width);
        Block block{conv->weight, conv->bias, padding, {}, {}};
        if (auto* group = norm.ptr()->as<nn::GroupNormImpl>()) {
            block.normWeight = group->weight;
            block.normBias = group->bias;
        } else if (auto* batch = norm.ptr()->as<nn::BatchNorm2dImpl>()) {
            block.normWeight = batch->weight;
            block.normBias = batch->bias;
        }
        m_blocks.push_back(block);
        m_features->push_back(conv);
        m_features->push_back(norm);
        m_features->push_back(makeActivation(config.activation));
        if (config.pooling != "none") {
            m_features->push_back(makePool(config.pooling));
            h /= 2;
            w /= 2;
        }
        in = config.width;
    }
    if (h < 1 || w < 1)
        throw Error("model: a " + std::to_string(shape.height) + "×" + std::to_string(shape.width) + " input is too small for "
            + std::to_string(config.depth) + " pooled ConvNet blocks");
    m_featureDim = config.width * h * w;
    m_fusable = config.norm == "instance" && config.activation == "relu" && config.pooling == "avg";
    m_features = register_module("features", m_features);
    m_classifier = register_module("classifier", nn::Linear(m_featureDim, shape.numClasses));
}

bool ConvNetImpl::usesFusedPath(const torch::Tensor& x) const
{
    return m_fusable && x.is_cuda() && !torch::GradMode::is_enabled()
        && (x.scalar_type() == torch::kFloat || x.scalar_type() == torch::kBFloat16) && fusedKernelsEnabled()
        && fusedKernelsUsable(x.device());
}

torch::Tensor ConvNetImpl::fusedFeatures(const torch::Tensor& x)
{
    torch::Tensor h = x.contiguous(); // the kernels read NCHW (channels-last inputs are converted here)
    for (std::size_t d = 0; d < m_blocks.size(); ++d) {
        const Block& b = m_blocks[d];
        if (d == 0 && fusedConvBlockSupports(h, b.padding)) {
            h = fusedConvBlock(h, b.convWeight, b.convBias, b.padding, b.normWeight, b.normBias, kInstanceNormEps);
            continue;
        }
        // Later blocks: cuDNN's convolution, then one kernel for norm, ReLU and pool.
        h = torch::conv2d(h, b.convWeight.to(h.scalar_type()), b.convBias.to(h.scalar_type()), 1, b.padding);
        h = fusedNormReluPool(h, b.normWeight, b.normBias, kInstanceNormEps);
    }
    return h;
}

bool ConvNetImpl::usesCpuFusedPath(const torch::Tensor& x) const
{
    return m_fusable && fusedKernelsEnabled() && cpuNormReluPoolSupports(x);
}

torch::Tensor ConvNetImpl::cpuFusedFeatures(const torch::Tensor& x)
{
    torch::Tensor h = x;
    for (const Block& b : m_blocks) {
        const torch::Tensor y = torch::conv2d(h, b.convWeight, b.convBias, 1, b.padding);
        // Under bf16 autocast the convolution answers in bf16, which the fused pass does not take: the stock layers.
        h = cpuNormReluPoolSupports(y) ? cpuNormReluPool(y, b.normWeight, b.normBias)
                                       : instanceNormReluPool(y, b.normWeight, b.normBias);
    }
    return h;
}

torch::Tensor ConvNetImpl::embed(torch::Tensor x)
{
    if (usesFusedPath(x))
        return fusedFeatures(x).flatten(1);
    if (usesCpuFusedPath(x))
        return cpuFusedFeatures(x).flatten(1);
    return m_features->forward(x).flatten(1);
}

torch::Tensor ConvNetImpl::forward(torch::Tensor x)
{
    return m_classifier->forward(embed(x));
}

} // namespace distillery::core

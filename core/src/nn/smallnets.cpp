// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "nn/smallnets.h"

#include "nn/layers.h"

#include <distillery/error.h>

namespace distillery::core {

namespace nn = torch::nn;

MlpImpl::MlpImpl(const ModelConfig& config, const NetworkShape& shape)
{
    const std::int64_t inputs = static_cast<std::int64_t>(shape.channels) * shape.height * shape.width;
    m_fc1 = register_module("fc1", nn::Linear(inputs, kHidden));
    m_fc2 = register_module("fc2", nn::Linear(kHidden, kHidden));
    m_fc3 = register_module("fc3", nn::Linear(kHidden, shape.numClasses));
    m_act = makeActivation(config.activation);
}

torch::Tensor MlpImpl::embed(torch::Tensor x)
{
    x = m_act.forward(m_fc1->forward(x.flatten(1)));
    return m_act.forward(m_fc2->forward(x));
}

torch::Tensor MlpImpl::forward(torch::Tensor x)
{
    return m_fc3->forward(embed(x));
}

LeNetImpl::LeNetImpl(const ModelConfig& config, const NetworkShape& shape)
{
    const bool pad28 = shape.height == 28 && shape.width == 28;
    const int padding = pad28 ? 2 : 0;
    std::int64_t h = (shape.height + 2 * padding - 4) / 2;
    std::int64_t w = (shape.width + 2 * padding - 4) / 2;
    h = (h - 4) / 2;
    w = (w - 4) / 2;
    if (h < 1 || w < 1)
        throw Error("model: a " + std::to_string(shape.height) + "×" + std::to_string(shape.width)
            + " input is too small for LeNet (needs at least 16×16, or 12×12 at 28×28 padding)");
    m_features = register_module("features",
        nn::Sequential(nn::Conv2d(nn::Conv2dOptions(shape.channels, 6, 5).padding(padding)), makeActivation(config.activation),
            nn::MaxPool2d(nn::MaxPool2dOptions(2).stride(2)), nn::Conv2d(nn::Conv2dOptions(6, 16, 5)),
            makeActivation(config.activation), nn::MaxPool2d(nn::MaxPool2dOptions(2).stride(2))));
    m_fc1 = register_module("fc1", nn::Linear(16 * h * w, 120));
    m_fc2 = register_module("fc2", nn::Linear(120, 84));
    m_fc3 = register_module("fc3", nn::Linear(84, shape.numClasses));
    m_act = makeActivation(config.activation);
}

torch::Tensor LeNetImpl::embed(torch::Tensor x)
{
    x = m_features->forward(x).flatten(1);
    x = m_act.forward(m_fc1->forward(x));
    return m_act.forward(m_fc2->forward(x));
}

torch::Tensor LeNetImpl::forward(torch::Tensor x)
{
    return m_fc3->forward(embed(x));
}

namespace {

    /// Two 3×3 convs with a shortcut; a 1×1 projection when the shape changes.
    class BasicBlockImpl final : public nn::Module
    {
    public:
        BasicBlockImpl(std::int64_t in, std::int64_t out, std::int64_t stride, const std::string& norm)
        {
            m_conv1 = register_module("conv1", nn::Conv2d(nn::Conv2dOptions(in, out, 3).stride(stride).padding(1).bias(false)));
            m_norm1 = makeNorm(norm, out);
            register_module("norm1", m_norm1.ptr());
            m_conv2 = register_module("conv2", nn::Conv2d(nn::Conv2dOptions(out, out, 3).stride(1).padding(1).bias(false)));
            m_norm2 = makeNorm(norm, out);
            register_module("norm2", m_norm2.ptr());
            if (stride != 1 || in != out) {
                m_shortcut = register_module("shortcut",
                    nn::Sequential(nn::Conv2d(nn::Conv2dOptions(in, out, 1).stride(stride).bias(false)), makeNorm(norm, out)));
            }
        }

        torch::Tensor forward(torch::Tensor x)
        {
            torch::Tensor out = torch::relu(m_norm1.forward(m_conv1->forward(x)));
            out = m_norm2.forward(m_conv2->forward(out));
            return torch::relu(out + (m_shortcut ? m_shortcut->forward(x) : x));
        }

    private:
        nn::Conv2d m_conv1{nullptr};
        nn::Conv2d m_conv2{nullptr};
        nn::AnyModule m_norm1;
        nn::AnyModule m_norm2;
        nn::Sequential m_shortcut{nullptr};
    };
    TORCH_MODULE(BasicBlock);

} // namespace

ResNet18Impl::ResNet18Impl(const ModelConfig& config, const NetworkShape& shape)
    : m_description(std::string("ResNet-18 ") + config.norm)
{
    if (shape.height < 8 || shape.width < 8)
        throw Error("model: ResNet-18 needs images of at least 8×8");
    m_body = nn::Sequential();
    m_body->push_back(nn::Conv2d(nn::Conv2dOptions(shape.channels, 64, 3).stride(1).padding(1).bias(false)));
    m_body->push_back(makeNorm(config.norm, 64));
    m_body->push_back(nn::ReLU());
    std::int64_t in = 64;
    const std::int64_t widths[] = {64, 128, 256, 512};
    for (int stage = 0; stage < 4; ++stage) {
        for (int block = 0; block < 2; ++block) {
            const std::int64_t stride = (stage > 0 && block == 0) ? 2 : 1;
            m_body->push_back(BasicBlock(in, widths[stage], stride, config.norm));
            in = widths[stage];
        }
    }
    m_body->push_back(nn::AdaptiveAvgPool2d(nn::AdaptiveAvgPool2dOptions(1)));
    m_body = register_module("body", m_body);
    m_classifier = register_module("classifier", nn::Linear(512, shape.numClasses));
}

torch::Tensor ResNet18Impl::embed(torch::Tensor x)
{
    return m_body->forward(x).flatten(1);
}

torch::Tensor ResNet18Impl::forward(torch::Tensor x)
{
    return m_classifier->forward(embed(x));
}

} // namespace distillery::core

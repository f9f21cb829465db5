// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "nn/layers.h"

#include <distillery/error.h>

#include <array>

namespace distillery::core {
namespace {

    class AvgPool2x2Impl final : public torch::nn::Module
    {
    public:
        torch::Tensor forward(const torch::Tensor& x) { return avgPool2x2(x); }
    };
    TORCH_MODULE(AvgPool2x2);

    /// The forward as two strided additions; the backward spreads each output gradient over its 2×2 window with
    /// nearest-neighbour upsampling (twice as fast as an expand and a copy). Autograd's own backward of the
    /// additions (SelectBackward: a zero tensor of the input's size per select, then a copy) took a fifth of a CPU
    /// DSA iteration (BENCHMARKS.md, "CPU against the reference").
    /// The backward is built from differentiable operations, so gradients of gradients (DC/DSA's create_graph,
    /// MTT's unroll) flow through it.
    struct CpuAvgPool2x2 : public torch::autograd::Function<CpuAvgPool2x2>
    {
        static torch::Tensor pool(const torch::Tensor& x)
        {
            const auto n = x.size(0), c = x.size(1), h = x.size(2) / 2, w = x.size(3) / 2;
            const torch::Tensor pairs = x.reshape({n, c, h, 2, 2 * w});
            const torch::Tensor rows = (pairs.select(3, 0) + pairs.select(3, 1)).view({n, c, h, w, 2});
            return (rows.select(4, 0) + rows.select(4, 1)).mul(0.25);
        }

        static torch::Tensor forward(torch::autograd::AutogradContext*, const torch::Tensor& x) { return pool(x); }

        static torch::autograd::variable_list backward(torch::autograd::AutogradContext*, torch::autograd::variable_list grads)
        {
            const torch::Tensor& g = grads[0];
            const std::array<std::int64_t, 2> size{2 * g.size(2), 2 * g.size(3)};
            return {torch::upsample_nearest2d(g.mul(0.25), torch::IntArrayRef(size))};
        }
    };

} // namespace

torch::Tensor avgPool2x2(torch::Tensor x)
{
    if (!x.device().is_cpu())
        return torch::avg_pool2d(x, 2, 2);
    const auto h = x.size(2) / 2, w = x.size(3) / 2;
    if (x.size(2) % 2 != 0 || x.size(3) % 2 != 0)
        x = x.slice(2, 0, 2 * h).slice(3, 0, 2 * w);
    if (torch::GradMode::is_enabled() && x.requires_grad())
        return CpuAvgPool2x2::apply(x);
    return CpuAvgPool2x2::pool(x);
}

torch::Tensor instanceNormReluPool(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias)
{
    return avgPool2x2(torch::relu(instanceNorm(x, weight, bias)));
}

torch::Tensor activate(const torch::Tensor& x, const std::string& activation)
{
    if (activation == "relu")
        return torch::relu(x);
    if (activation == "leakyrelu")
        return torch::leaky_relu(x, 0.01);
    if (activation == "sigmoid")
        return torch::sigmoid(x);
    throw Error("model.activation: unknown activation \"" + activation + "\" (use relu, leakyrelu or sigmoid)");
}

torch::Tensor pool2x2(const torch::Tensor& x, const std::string& pooling)
{
    if (pooling == "avg")
        return avgPool2x2(x);
    if (pooling == "max")
        return torch::max_pool2d(x, 2, 2);
    if (pooling == "none")
        return x;
    throw Error("model.pooling: unknown pooling \"" + pooling + "\" (use avg, max or none)");
}

torch::Tensor instanceNorm(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias)
{
    const torch::Tensor input = x.scalar_type() == weight.scalar_type() ? x : x.to(weight.scalar_type());
    return torch::group_norm(input, input.size(1), weight, bias, kInstanceNormEps);
}

InstanceNormImpl::InstanceNormImpl(std::int64_t channels)
    : torch::nn::GroupNormImpl(torch::nn::GroupNormOptions(channels, channels).eps(kInstanceNormEps).affine(true))
{
}

torch::Tensor InstanceNormImpl::forward(const torch::Tensor& x)
{
    return instanceNorm(x, weight, bias);
}

torch::nn::AnyModule makeNorm(const std::string& norm, std::int64_t channels)
{
    namespace nn = torch::nn;
    if (norm == "instance") // GroupNorm with one group per channel = instance norm with an affine, as the reference
        return nn::AnyModule(std::make_shared<InstanceNormImpl>(channels));
    if (norm == "batch")
        return nn::AnyModule(nn::BatchNorm2d(channels));
    if (norm == "none")
        return nn::AnyModule(nn::Identity());
    throw Error("model.norm: unknown normalisation \"" + norm + "\" (use instance, batch or none)");
}

torch::nn::AnyModule makeActivation(const std::string& activation)
{
    namespace nn = torch::nn;
    if (activation == "relu") // in place, as the reference: one activation-sized tensor less per layer
        return nn::AnyModule(nn::ReLU(nn::ReLUOptions().inplace(true)));
    if (activation == "leakyrelu")
        return nn::AnyModule(nn::LeakyReLU(nn::LeakyReLUOptions().negative_slope(0.01)));
    if (activation == "sigmoid")
        return nn::AnyModule(nn::Sigmoid());
    throw Error("model.activation: unknown activation \"" + activation + "\" (use relu, leakyrelu or sigmoid)");
}

torch::nn::AnyModule makePool(const std::string& pooling)
{
    namespace nn = torch::nn;
    if (pooling == "avg")
        return nn::AnyModule(AvgPool2x2());
    if (pooling == "max")
        return nn::AnyModule(nn::MaxPool2d(nn::MaxPool2dOptions(2).stride(2)));
    if (pooling == "none")
        return nn::AnyModule(nn::Identity());
    throw Error("model.pooling: unknown pooling \"" + pooling + "\" (use avg, max or none)");
}

} // namespace distillery::core

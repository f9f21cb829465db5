// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "nn/fusedconvnet.h"

#include <distillery/error.h>

#include <atomic>

#ifdef DISTILLERY_HAVE_FUSED_KERNELS
#include "cuda/fusedkernels.h"

#include <ATen/cuda/CUDAContext.h>
#include <c10/cuda/CUDAGuard.h>

#include <mutex>
#include <unordered_map>
#endif

namespace distillery::core {
namespace {

    std::atomic<bool> g_enabled{true};

} // namespace

void setFusedKernelsEnabled(bool enabled)
{
    g_enabled = enabled;
}

bool fusedKernelsEnabled()
{
    return g_enabled;
}

#ifdef DISTILLERY_HAVE_FUSED_KERNELS

namespace {

    cuda::ElementType elementType(const torch::Tensor& t)
    {
        if (t.scalar_type() == torch::kFloat)
            return cuda::ElementType::Float32;
        if (t.scalar_type() == torch::kBFloat16)
            return cuda::ElementType::BFloat16;
        throw Error("fused ConvNet kernels: float32 or bfloat16 input expected");
    }

    torch::Tensor floatParameter(const torch::Tensor& p)
    {
        return p.to(torch::kFloat).contiguous();
    }

    torch::Tensor outputOrNew(torch::Tensor out, const torch::Tensor& input, std::int64_t channels, std::int64_t h, std::int64_t w)
    {
        const std::vector<std::int64_t> shape{input.size(0), channels, h, w};
        if (!out.defined())
            return torch::empty(shape, input.options().memory_format(torch::MemoryFormat::Contiguous));
        if (out.sizes() != torch::IntArrayRef(shape) || out.scalar_type() != input.scalar_type()
            || out.device() != input.device() || !out.is_contiguous())
            throw Error("fused ConvNet kernels: the given output has the wrong shape, type or layout");
        return out;
    }

    void check(const char* error, const char* what)
    {
        if (error != nullptr)
            throw Error(std::string(what) + ": " + error);
    }

} // namespace

bool fusedKernelsUsable(const torch::Device& device)
{
    if (!device.is_cuda())
        return false;
    static std::mutex mutex;
    static std::unordered_map<int, bool> answers; // per device index; asked once
    const c10::cuda::CUDAGuard guard(device);
    const int index = c10::cuda::current_device();
    const std::lock_guard<std::mutex> lock(mutex);
    auto found = answers.find(index);
    if (found == answers.end())
        found = answers.emplace(index, cuda::fusedKernelsRunnableOnCurrentDevice()).first;
    return found->second;
}

bool fusedConvBlockSupports(const torch::Tensor& input, int padding)
{
    return input.dim() == 4
        && cuda::fusedConvBlockSupports(static_cast<int>(input.size(1)), static_cast<int>(input.size(2)),
            static_cast<int>(input.size(3)), padding);
}

torch::Tensor fusedConvBlock(const torch::Tensor& input, const torch::Tensor& weight, const torch::Tensor& bias,
    int padding, const torch::Tensor& gamma, const torch::Tensor& beta, double eps, torch::Tensor out)
{
    const torch::Tensor x = input.contiguous();
    if (x.dim() != 4 || weight.dim() != 4 || weight.size(1) != x.size(1) || weight.size(2) != 3 || weight.size(3) != 3)
        throw Error("fused conv block: expects N×C×H×W input and a 3×3 convolution over its channels");
    if (!fusedConvBlockSupports(x, padding))
        throw Error("fused conv block: this input size does not fit the kernel's shared memory");
    const c10::cuda::CUDAGuard guard(x.device());
    const std::int64_t convH = x.size(2) + 2 * padding - 2;
    const std::int64_t convW = x.size(3) + 2 * padding - 2;
    out = outputOrNew(out, x, weight.size(0), convH / 2, convW / 2);
    const torch::Tensor w = floatParameter(weight);
    const torch::Tensor b = bias.defined() ? floatParameter(bias) : torch::Tensor();
    const torch::Tensor g = floatParameter(gamma);
    const torch::Tensor be = floatParameter(beta);
    cuda::ConvBlockArgs a;
    a.input = x.data_ptr();
    a.output = out.data_ptr();
    a.weight = w.data_ptr<float>();
    a.bias = b.defined() ? b.data_ptr<float>() : nullptr;
    a.gamma = g.data_ptr<float>();
    a.beta = be.data_ptr<float>();
    a.batch = static_cast<int>(x.size(0));
    a.inChannels = static_cast<int>(x.size(1));
    a.height = static_cast<int>(x.size(2));
    a.width = static_cast<int>(x.size(3));
    a.outChannels = static_cast<int>(weight.size(0));
    a.padding = padding;
    a.eps = static_cast<float>(eps);
    a.type = elementType(x);
    a.stream = at::cuda::getCurrentCUDAStream().stream();
    check(cuda::launchFusedConvBlock(a), "fused conv block");
    return out;
}

torch::Tensor fusedNormReluPool(const torch::Tensor& input, const torch::Tensor& gamma, const torch::Tensor& beta,
    double eps, torch::Tensor out)
{
    const torch::Tensor x = input.contiguous();
    if (x.dim() != 4)
        throw Error("fused norm-ReLU-pool: expects N×C×H×W input");
    const c10::cuda::CUDAGuard guard(x.device());
    out = outputOrNew(out, x, x.size(1), x.size(2) / 2, x.size(3) / 2);
    const torch::Tensor g = floatParameter(gamma);
    const torch::Tensor be = floatParameter(beta);
    cuda::NormPoolArgs a;
    a.input = x.data_ptr();
    a.output = out.data_ptr();
    a.gamma = g.data_ptr<float>();
    a.beta = be.data_ptr<float>();
    a.batch = static_cast<int>(x.size(0));
    a.channels = static_cast<int>(x.size(1));
    a.height = static_cast<int>(x.size(2));
    a.width = static_cast<int>(x.size(3));
    a.eps = static_cast<float>(eps);
    a.type = elementType(x);
    a.stream = at::cuda::getCurrentCUDAStream().stream();
    check(cuda::launchFusedNormReluPool(a), "fused norm-ReLU-pool");
    return out;
}

#else // no kernels in this build: nothing is usable, and nothing may call the kernels

bool fusedKernelsUsable(const torch::Device&)
{
    return false;
}

bool fusedConvBlockSupports(const torch::Tensor&, int)
{
    return false;
}

torch::Tensor fusedConvBlock(const torch::Tensor&, const torch::Tensor&, const torch::Tensor&, int, const torch::Tensor&,
    const torch::Tensor&, double, torch::Tensor)
{
    throw Error("fused ConvNet kernels: not built into this Distillery (needs a LibTorch with CUDA)");
}

torch::Tensor fusedNormReluPool(const torch::Tensor&, const torch::Tensor&, const torch::Tensor&, double, torch::Tensor)
{
    throw Error("fused ConvNet kernels: not built into this Distillery (needs a LibTorch with CUDA)");
}

#endif

} // namespace distillery::core

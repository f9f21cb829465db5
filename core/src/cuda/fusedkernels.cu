// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Forward-only fused kernels for the reference ConvNet (conv 3×3 → instance norm → ReLU → 2×2 avg pool).
// The stock path runs four kernels per block, each reading and writing the full N×C×H×W activation; here each
// (image, channel) plane stays on chip and only the pooled quarter is written (issue #6, BENCHMARKS.md).
#include "cuda/fusedkernels.h"

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include "cuda/fusedkernels.cuh"

#include <cstdint>

namespace distillery::cuda {
namespace {

    using namespace kernels;

    template <typename T>
    cudaError_t launchConv(const ConvBlockArgs& a)
    {
        const ConvGeometry g = convGeometry(a.height, a.width, a.padding);
        const std::size_t sharedBytes = convSharedFloats(a.inChannels, g) * sizeof(float);
        const int channelBlocks = (a.outChannels + kChannelsPerBlock - 1) / kChannelsPerBlock;
        const unsigned blocks = static_cast<unsigned>(a.batch) * static_cast<unsigned>(channelBlocks);
        fusedConvBlockKernel<T><<<blocks, kThreads, sharedBytes, static_cast<cudaStream_t>(a.stream)>>>(
            static_cast<const T*>(a.input), static_cast<T*>(a.output), a.weight, a.bias, a.gamma, a.beta,
            a.inChannels, a.height, a.width, a.outChannels, a.padding, a.eps);
        return cudaGetLastError();
    }

    template <typename T>
    cudaError_t launchNormPool(const NormPoolArgs& a)
    {
        const std::int64_t planes = static_cast<std::int64_t>(a.batch) * a.channels;
        const std::int64_t planesPerBlock = kThreads / kWarpSize;
        const auto blocks = static_cast<unsigned>((planes + planesPerBlock - 1) / planesPerBlock);
        fusedNormReluPoolKernel<T><<<blocks, kThreads, 0, static_cast<cudaStream_t>(a.stream)>>>(
            static_cast<const T*>(a.input), static_cast<T*>(a.output), a.gamma, a.beta, planes, a.channels,
            a.height, a.width, a.eps);
        return cudaGetLastError();
    }

    const char* errorText(cudaError_t error)
    {
        return error == cudaSuccess ? nullptr : cudaGetErrorString(error);
    }

} // namespace

bool fusedConvBlockSupports(int inChannels, int height, int width, int padding)
{
    if (inChannels < 1 || height < 1 || width < 1 || padding < 0)
        return false;
    const ConvGeometry g = convGeometry(height, width, padding);
    if (g.convHeight < 2 || g.convWidth < 2)
        return false;
    return convSharedFloats(inChannels, g) * sizeof(float) <= kMaxSharedBytes;
}

const char* launchFusedConvBlock(const ConvBlockArgs& args)
{
    if (args.batch == 0)
        return nullptr;
    if (!fusedConvBlockSupports(args.inChannels, args.height, args.width, args.padding))
        return "fused conv block: geometry not supported";
    return errorText(args.type == ElementType::Float32 ? launchConv<float>(args) : launchConv<__nv_bfloat16>(args));
}

const char* launchFusedNormReluPool(const NormPoolArgs& args)
{
    if (args.batch == 0 || args.channels == 0)
        return nullptr;
    if (args.height < 2 || args.width < 2)
        return "fused norm-ReLU-pool: a plane smaller than 2×2";
    return errorText(
        args.type == ElementType::Float32 ? launchNormPool<float>(args) : launchNormPool<__nv_bfloat16>(args));
}

bool fusedKernelsRunnableOnCurrentDevice()
{
    cudaFuncAttributes attributes{};
    const cudaError_t conv = cudaFuncGetAttributes(&attributes, fusedConvBlockKernel<float>);
    const cudaError_t pool = cudaFuncGetAttributes(&attributes, fusedNormReluPoolKernel<float>);
    (void)cudaGetLastError(); // a missing kernel image is an answer here, not an error for the next op
    return conv == cudaSuccess && pool == cudaSuccess;
}

} // namespace distillery::cuda

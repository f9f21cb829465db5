// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The fused ConvNet kernels' device code (launched by fusedkernels.cu). A header of its own so that
// tests/core/tst_fusedemulation.cpp can run the very same code on the CPU, one std::thread per CUDA thread, in
// another namespace (DISTILLERY_KERNEL_NAMESPACE) so its host copies never meet nvcc's symbols.
// Statistics are two-pass (mean, then the mean squared deviation) in fp32, like GroupNorm's biased variance.

#include <cstddef>
#include <cstdint>

#ifndef DISTILLERY_KERNEL_NAMESPACE
#define DISTILLERY_KERNEL_NAMESPACE kernels
#endif

namespace distillery::cuda::DISTILLERY_KERNEL_NAMESPACE {

constexpr int kThreads = 256;
constexpr int kChannelsPerBlock = 16; // output channels sharing one loaded input tile
constexpr int kWarpSize = 32;
inline constexpr std::size_t kMaxSharedBytes = 48 * 1024; // without an opt-in attribute

__device__ __forceinline__ float toFloat(float v) { return v; }
#ifndef DISTILLERY_KERNEL_EMULATION // the CPU emulation runs fp32 only
__device__ __forceinline__ float toFloat(__nv_bfloat16 v) { return __bfloat162float(v); }
#endif
template <typename T>
__device__ __forceinline__ T fromFloat(float v);
template <>
__device__ __forceinline__ float fromFloat<float>(float v) { return v; }
#ifndef DISTILLERY_KERNEL_EMULATION
template <>
__device__ __forceinline__ __nv_bfloat16 fromFloat<__nv_bfloat16>(float v) { return __float2bfloat16(v); }
#endif

__device__ __forceinline__ float warpSum(float v)
{
    for (int offset = kWarpSize / 2; offset > 0; offset /= 2)
        v += __shfl_xor_sync(0xffffffffU, v, offset);
    return v;
}

/// Sum over the whole block, returned to every thread. `scratch` holds one float per warp; it may be reused
/// right after the call (the trailing barrier).
__device__ inline float blockSum(float v, float* scratch)
{
    const int lane = threadIdx.x % kWarpSize;
    const int warp = threadIdx.x / kWarpSize;
    v = warpSum(v);
    if (lane == 0)
        scratch[warp] = v;
    __syncthreads();
    const int warps = blockDim.x / kWarpSize;
    v = lane < warps ? scratch[lane] : 0.0F;
    v = warpSum(v);
    __syncthreads();
    return v;
}

/// The normalised, rectified and pooled value of one 2×2 window whose top-left element is `p`.
__device__ __forceinline__ float poolWindow(float a, float b, float c, float d, float scale, float shift)
{
    return 0.25F
        * (fmaxf(fmaf(a, scale, shift), 0.0F) + fmaxf(fmaf(b, scale, shift), 0.0F)
            + fmaxf(fmaf(c, scale, shift), 0.0F) + fmaxf(fmaf(d, scale, shift), 0.0F));
}

struct ConvGeometry
{
    int tileHeight; // input rows with padding: H + 2p
    int tileWidth;
    int convHeight; // 3×3 convolution output: tile − 2
    int convWidth;
};

__host__ __device__ inline ConvGeometry convGeometry(int height, int width, int padding)
{
    const int th = height + 2 * padding;
    const int tw = width + 2 * padding;
    return {th, tw, th - 2, tw - 2};
}

/// Shared memory of the conv-block kernel, in floats: reduction scratch, weights of the block's channels,
/// the padded input tile of one image, one convolved plane.
__host__ __device__ inline std::size_t convSharedFloats(int inChannels, const ConvGeometry& g)
{
    return kWarpSize + static_cast<std::size_t>(kChannelsPerBlock) * inChannels * 9
        + static_cast<std::size_t>(inChannels) * g.tileHeight * g.tileWidth
        + static_cast<std::size_t>(g.convHeight) * g.convWidth;
}

/// One block = one image × up to kChannelsPerBlock output channels: the image's padded tile is loaded once,
/// then each channel's plane is convolved into shared memory, normalised, rectified and pooled.
template <typename T>
__global__ void __launch_bounds__(kThreads) fusedConvBlockKernel(const T* __restrict__ input,
    T* __restrict__ output, const float* __restrict__ weight, const float* __restrict__ bias,
    const float* __restrict__ gamma, const float* __restrict__ beta, int inChannels, int height, int width,
    int outChannels, int padding, float eps)
{
    extern __shared__ float shared[];
    const int channelBlocks = (outChannels + kChannelsPerBlock - 1) / kChannelsPerBlock;
    const int n = static_cast<int>(blockIdx.x) / channelBlocks;
    const int c0 = (static_cast<int>(blockIdx.x) % channelBlocks) * kChannelsPerBlock;
    const int channels = min(kChannelsPerBlock, outChannels - c0);
    const ConvGeometry g = convGeometry(height, width, padding);
    const int pooledHeight = g.convHeight / 2;
    const int pooledWidth = g.convWidth / 2;

    float* scratch = shared;
    float* weights = scratch + kWarpSize;
    float* tile = weights + kChannelsPerBlock * inChannels * 9;
    float* plane = tile + inChannels * g.tileHeight * g.tileWidth;

    const int weightCount = channels * inChannels * 9;
    for (int i = threadIdx.x; i < weightCount; i += blockDim.x)
        weights[i] = weight[c0 * inChannels * 9 + i];
    const T* image = input + static_cast<std::int64_t>(n) * inChannels * height * width;
    const int tilePlane = g.tileHeight * g.tileWidth;
    const int tileCount = inChannels * tilePlane;
    for (int i = threadIdx.x; i < tileCount; i += blockDim.x) {
        const int ci = i / tilePlane;
        const int rest = i - ci * tilePlane;
        const int y = rest / g.tileWidth - padding;
        const int x = rest % g.tileWidth - padding;
        tile[i] = (y >= 0 && y < height && x >= 0 && x < width) ? toFloat(image[(ci * height + y) * width + x]) : 0.0F;
    }
    __syncthreads();

    const int planeCount = g.convHeight * g.convWidth;
    const float inverseCount = 1.0F / static_cast<float>(planeCount);
    for (int k = 0; k < channels; ++k) {
        const int c = c0 + k;
        const float* w = weights + k * inChannels * 9;
        const float b = bias != nullptr ? bias[c] : 0.0F;
        float sum = 0.0F;
        for (int i = threadIdx.x; i < planeCount; i += blockDim.x) {
            const int y = i / g.convWidth;
            const int x = i - y * g.convWidth;
            float acc = b;
            for (int ci = 0; ci < inChannels; ++ci) {
                const float* t = tile + (ci * g.tileHeight + y) * g.tileWidth + x;
                const float* f = w + ci * 9;
#pragma unroll
                for (int ky = 0; ky < 3; ++ky) {
#pragma unroll
                    for (int kx = 0; kx < 3; ++kx)
                        acc = fmaf(f[ky * 3 + kx], t[ky * g.tileWidth + kx], acc);
                }
            }
            plane[i] = acc;
            sum += acc;
        }
        const float mean = blockSum(sum, scratch) * inverseCount;
        float squares = 0.0F;
        for (int i = threadIdx.x; i < planeCount; i += blockDim.x) {
            const float d = plane[i] - mean;
            squares = fmaf(d, d, squares);
        }
        const float variance = blockSum(squares, scratch) * inverseCount;
        const float scale = gamma[c] * rsqrtf(variance + eps);
        const float shift = beta[c] - mean * scale;

        T* out = output + (static_cast<std::int64_t>(n) * outChannels + c) * pooledHeight * pooledWidth;
        for (int i = threadIdx.x; i < pooledHeight * pooledWidth; i += blockDim.x) {
            const int py = i / pooledWidth;
            const int px = i - py * pooledWidth;
            const float* p = plane + 2 * py * g.convWidth + 2 * px;
            out[i] = fromFloat<T>(poolWindow(p[0], p[1], p[g.convWidth], p[g.convWidth + 1], scale, shift));
        }
        __syncthreads(); // the next channel overwrites `plane`
    }
}

/// One warp per (image, channel) plane: mean, variance, then normalise + ReLU + pool. The plane is read three
/// times; after the first read it comes from L1 (a 16×16 fp32 plane is 1 KiB).
template <typename T>
__global__ void __launch_bounds__(kThreads) fusedNormReluPoolKernel(const T* __restrict__ input,
    T* __restrict__ output, const float* __restrict__ gamma, const float* __restrict__ beta, std::int64_t planes,
    int channels, int height, int width, float eps)
{
    const std::int64_t planeIndex = (static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x) / kWarpSize;
    if (planeIndex >= planes)
        return; // the whole warp: planeIndex is uniform across its lanes
    const int lane = threadIdx.x % kWarpSize;
    const int c = static_cast<int>(planeIndex % channels);
    const int count = height * width;
    const T* x = input + planeIndex * count;

    float sum = 0.0F;
    for (int i = lane; i < count; i += kWarpSize)
        sum += toFloat(x[i]);
    const float mean = warpSum(sum) / static_cast<float>(count);
    float squares = 0.0F;
    for (int i = lane; i < count; i += kWarpSize) {
        const float d = toFloat(x[i]) - mean;
        squares = fmaf(d, d, squares);
    }
    const float variance = warpSum(squares) / static_cast<float>(count);
    const float scale = gamma[c] * rsqrtf(variance + eps);
    const float shift = beta[c] - mean * scale;

    const int pooledHeight = height / 2;
    const int pooledWidth = width / 2;
    T* out = output + planeIndex * pooledHeight * pooledWidth;
    for (int i = lane; i < pooledHeight * pooledWidth; i += kWarpSize) {
        const int py = i / pooledWidth;
        const int px = i - py * pooledWidth;
        const T* p = x + 2 * py * width + 2 * px;
        out[i] = fromFloat<T>(
            poolWindow(toFloat(p[0]), toFloat(p[1]), toFloat(p[width]), toFloat(p[width + 1]), scale, shift));
    }
}

} // namespace distillery::cuda::DISTILLERY_KERNEL_NAMESPACE

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Launchers for the fused ConvNet kernels (fusedkernels.cu). Plain types only: this header is shared by nvcc
// (which never sees a torch header) and the torch-side wrapper in nn/fusedconvnet.cpp.

namespace distillery::cuda {

enum class ElementType
{
    Float32,
    BFloat16,
};

/// Block 1 of the ConvNet in one pass: 3×3 convolution (stride 1) → instance norm with affine → ReLU →
/// 2×2 average pool (floor). Input N×Cin×H×W and output N×Cout×⌊Hc/2⌋×⌊Wc/2⌋, both contiguous NCHW in
/// `type`, with Hc = H + 2·padding − 2 (the convolution's output size). Parameters are float32, contiguous.
struct ConvBlockArgs
{
    const void* input = nullptr;
    void* output = nullptr;
    const float* weight = nullptr; ///< Cout×Cin×3×3
    const float* bias = nullptr; ///< Cout
    const float* gamma = nullptr; ///< Cout, the norm's weight
    const float* beta = nullptr; ///< Cout, the norm's bias
    int batch = 0;
    int inChannels = 0;
    int height = 0;
    int width = 0;
    int outChannels = 0;
    int padding = 1;
    float eps = 1e-5F;
    ElementType type = ElementType::Float32;
    void* stream = nullptr; ///< cudaStream_t
};

/// Whether launchFusedConvBlock handles this geometry: the padded input tile and one convolved plane must fit in
/// shared memory (true for 1 or 3 input channels at 28×28 with padding 3 and at 32×32 with padding 1).
bool fusedConvBlockSupports(int inChannels, int height, int width, int padding);

/// Instance norm with affine → ReLU → 2×2 average pool (floor) over the output of a convolution. Input
/// N×C×H×W, output N×C×⌊H/2⌋×⌊W/2⌋, contiguous NCHW in `type`.
struct NormPoolArgs
{
    const void* input = nullptr;
    void* output = nullptr;
    const float* gamma = nullptr;
    const float* beta = nullptr;
    int batch = 0;
    int channels = 0;
    int height = 0;
    int width = 0;
    float eps = 1e-5F;
    ElementType type = ElementType::Float32;
    void* stream = nullptr;
};

/// Each launcher returns nullptr on success or the CUDA error's text (the launch is asynchronous: errors inside
/// the kernel surface at the next synchronisation, as for any CUDA op).
const char* launchFusedConvBlock(const ConvBlockArgs& args);
const char* launchFusedNormReluPool(const NormPoolArgs& args);

/// Whether the kernels were compiled for the current device's architecture (false: take the stock path).
bool fusedKernelsRunnableOnCurrentDevice();

} // namespace distillery::cuda

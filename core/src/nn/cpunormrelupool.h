// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <torch/torch.h>

namespace distillery::core {

// The ConvNet block's tail on the CPU — instance norm with affine, ReLU, 2×2 average pool — in one pass over each
// image plane, forward and backward (issue #17). The stock path runs four library kernels, each a full trip through
// memory for a tensor far larger than the caches; a plane (32×32 floats) stays in L1 here. docs/architecture.md
// ("Performance design") says what it measured.

/// A CPU float32 tensor of rank 4 with at least 2×2 pixels: what cpuNormReluPool accepts.
bool cpuNormReluPoolSupports(const torch::Tensor& x);

/// relu(instance_norm(x) · gamma + beta), then 2×2 average pooling (an odd last row or column is dropped, as the
/// stock pooling does; the norm's statistics still include it), with the ConvNet's kInstanceNormEps: the same as
/// nn/layers' instanceNormReluPool. Differentiable: the backward is fused too, and under create_graph (gradients of
/// gradients: DC/DSA, MTT) it is recomputed through instanceNormReluPool instead.
torch::Tensor cpuNormReluPool(const torch::Tensor& x, const torch::Tensor& gamma, const torch::Tensor& beta);

} // namespace distillery::core

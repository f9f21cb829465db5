// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// Kernel ridge regression, the closed-form last layer of the kernel methods (docs/methods.md §9).
#pragma once

#include "nn/network.h"

#include <torch/torch.h>

#include <vector>

namespace distillery::core {

/// Regression targets for K classes: on-value 1 − 1/K, off-value −1/K (RFAD, FRePo). float N×K.
torch::Tensor centredOneHot(const torch::Tensor& labels, int classes);

/// Random features (RFAD): the networks' embeddings of `x` side by side, scaled by 1/√(M·F). Without gradient in
/// pieces of `pieceRows` images (nn/pieces.h); with gradient in one pass, for the synthetic images being learned.
torch::Tensor randomFeatures(std::vector<Network>& nets, const torch::Tensor& x, std::int64_t pieceRows);

/// The features' kernel as RFAD reads out its random ReLU networks: 2 a bᵀ + 0.01 (rows of `a` against rows of `b`).
torch::Tensor featureKernel(const torch::Tensor& a, const torch::Tensor& b);

/// The predictions K_ts (K_ss + ridge · tr(K_ss)/n · I)⁻¹ Y_s for targets t from n supports s, solved by Cholesky
/// in float64 (the trace scaling makes `ridge` independent of the kernel's size); returned in K_ts's dtype.
/// Differentiable in K_ts, K_ss and Y_s.
torch::Tensor kernelRidgePredict(const torch::Tensor& kTS, const torch::Tensor& kSS, const torch::Tensor& ySupport, double ridge);

} // namespace distillery::core

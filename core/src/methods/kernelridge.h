// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// Kernel ridge regression, the closed-form last layer of the kernel methods (docs/methods.md §9).
#pragma once

#include "nn/network.h"

#include <torch/torch.h>

#include <functional>
#include <string>
#include <vector>

namespace distillery::core {

/// Regression targets for K classes: on-value 1 − 1/K, off-value −1/K (RFAD, FRePo). float N×K.
torch::Tensor centredOneHot(const torch::Tensor& labels, int classes);

/// Random features (RFAD): the networks' embeddings of `x` side by side, scaled by 1/√(M·F). Without gradient in
/// pieces of `pieceRows` images (nn/pieces.h); with gradient in one pass, for the synthetic images being learned.
torch::Tensor randomFeatures(std::vector<Network>& nets, const torch::Tensor& x, std::int64_t pieceRows);

/// The features' kernel as RFAD reads out its random ReLU networks: 2 a bᵀ + 0.01 (rows of `a` against rows of `b`).
torch::Tensor featureKernel(const torch::Tensor& a, const torch::Tensor& b);

/// The plain dot-product kernel of features (FRePo): a bᵀ.
torch::Tensor linearKernel(const torch::Tensor& a, const torch::Tensor& b);

/// The predictions K_ts (K_ss + ridge · tr(K_ss)/n · I)⁻¹ Y_s for targets t from n supports s, solved by Cholesky
/// in float64 (the trace scaling makes `ridge` independent of the kernel's size); returned in K_ts's dtype.
/// Differentiable in K_ts, K_ss and Y_s.
/// A kernel matrix that is singular at `ridge` (duplicate supports, features that vanish) is solved with the ridge
/// raised tenfold until the factorisation succeeds, up to 1; the ridge used is written to `usedRidge` when given,
/// so the caller can say so. Throws Error for a kernel that is not finite or stays singular.
torch::Tensor kernelRidgePredict(const torch::Tensor& kTS, const torch::Tensor& kSS, const torch::Tensor& ySupport, double ridge,
    double* usedRidge = nullptr);

/// Says through `log` (when set) that a singular kernel was solved with `used` instead of `requested`, once per new
/// height of the ridge (`reported` keeps the highest said so far, 0 at first).
void reportRaisedRidge(double requested, double used, double& reported, const std::function<void(const std::string&)>& log);

} // namespace distillery::core

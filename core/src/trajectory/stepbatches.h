// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <torch/torch.h>

#include <vector>

namespace distillery::core {

/// DD's step batches (docs/methods.md §3): a class-major set of `ipc` images per class split into `steps` batches,
/// batch k holding images k·(ipc/steps) … (k+1)·(ipc/steps) − 1 of every class. Indices into the set, int64 on
/// `device`. `ipc` must be a multiple of `steps` (the caller checks and names the setting).
std::vector<torch::Tensor> stepBatchIndices(int classes, int ipc, int steps, torch::Device device);

/// softplus⁻¹(η) = log(expm1(η)): the raw value whose softplus is the step size η.
double inverseSoftplus(double eta);

} // namespace distillery::core

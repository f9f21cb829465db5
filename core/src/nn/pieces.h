// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// Passes over many real images in pieces sized to a memory budget (docs/architecture.md, "Performance design").
// On a CPU one batch of thousands of images makes activations of a gigabyte and more: far beyond the caches, and so
// large that the allocator maps and unmaps them every iteration. Pieces whose largest activation fits the budget
// are several times faster there (BENCHMARKS.md, "CPU against the reference"). A GPU wants the one big batch, so
// it gets it.
#pragma once

#include "nn/network.h"

#include <distillery/config.h>

#include <torch/torch.h>

#include <functional>
#include <vector>

namespace distillery::core {

/// Bytes of the largest single activation one fp32 image makes in a forward of `model` (the first convolution's
/// output for the ConvNet, LeNet and ResNet-18; the widest layer for the MLP).
std::int64_t largestActivationBytes(const ModelConfig& model, const NetworkShape& shape);

/// Images per piece: on the CPU as many as keep the largest activation within `budgetBytes` (at least one); on
/// other devices, or with a budget of 0 (PerformanceConfig::cpuPieceMiB off), no limit.
std::int64_t rowsPerPiece(const ModelConfig& model, const NetworkShape& shape, torch::Device device, std::int64_t budgetBytes);

/// The budget PerformanceConfig::cpuPieceMiB asks for, in bytes.
std::int64_t pieceBudgetBytes(const PerformanceConfig& performance);

/// `f` applied to consecutive pieces of at most `rows` rows of `x`, the results concatenated along dimension 0.
/// One call when `x` fits in one piece.
torch::Tensor mapInPieces(const torch::Tensor& x, std::int64_t rows, const std::function<torch::Tensor(const torch::Tensor&)>& f);

/// The gradient of a mean over the rows of `x`, taken piece by piece: `meanGradient(piece)` returns the gradients
/// of the mean over that piece's rows, and the pieces are weighted by their share of the rows. Equal to
/// meanGradient(x) up to float rounding for any network that treats images independently (no batch norm).
std::vector<torch::Tensor> meanGradientInPieces(const torch::Tensor& x, std::int64_t rows,
    const std::function<std::vector<torch::Tensor>(const torch::Tensor&)>& meanGradient);

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/config.h>

#include <cstdint>
#include <string>
#include <vector>

namespace distillery::core {

/// A float tensor as plain values (C order).
struct PlainTensor
{
    std::vector<std::int64_t> shape;
    std::vector<float> values;
};

/// DC's matching distance between two lists of gradient tensors (METHODS.md §4): "ours" (layer-wise, rows =
/// output units, 1 − cosine summed over rows, 1-D tensors ignored), "mse" or "cos" over the concatenation.
double gradientMatchingDistance(const std::vector<PlainTensor>& synthetic, const std::vector<PlainTensor>& real,
    const std::string& metric = "ours");

/// One DM loss computed twice on the same network, real batch and augmentation draw: batched over all classes
/// (what DM runs) and class by class (the reference's loop). Nothing is updated.
struct DmLossCheck
{
    double batched = 0;
    double perClass = 0;
    std::vector<double> batchedTerms;
    std::vector<double> perClassTerms;
};
DmLossCheck checkDmBatchedLoss(const RunConfig& config);

/// DC/DSA's per-class matching distances of one step computed class-parallel (what runs) and class by class (the
/// reference's loop), from the same network, real batch and augmentation draw. Needs a ConvNet without batch norm.
struct GradientMatchCheck
{
    std::vector<double> classParallel;
    std::vector<double> perClass;
};
GradientMatchCheck checkGradientMatchingBatched(const RunConfig& config);

} // namespace distillery::core

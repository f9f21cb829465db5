// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "data/dataset.h"
#include "nn/network.h"

#include <distillery/config.h>
#include <distillery/evalresult.h>
#include <distillery/evaluation.h>

#include <torch/torch.h>

#include <string>

namespace distillery::core {

class RunControl;

/// A training set for the protocol, on the data set's device: normalised images and hard (int64 N) or soft
/// (float N×K probabilities) labels.
struct TrainingSet
{
    torch::Tensor images;
    torch::Tensor labels;
};

/// METHODS.md §1.4: trains `eval.models` fresh networks (model i initialised from deriveSeed(seed, i)) with
/// SGD (momentum, weight decay, lr × 0.1 and a new optimiser after pass ⌊E/2⌋ + 1, E + 1 passes, reshuffled
/// batches, optional non-Siamese DSA per batch), tests each once on the real test split, and reports mean ±
/// population std. Throws Cancelled when `control` stops.
EvalResult runProtocol(const TrainingSet& train, const Dataset& data, const ModelConfig& model, const EvalConfig& eval,
    std::uint64_t seed, const std::string& subject, const EvalProgressFn& progress, const RunControl* control);

/// Trains one fresh network (initialised from deriveSeed(seed, i)-style `initSeed`) on `train` with the
/// protocol's optimiser and schedule; `progress` gets model index `modelIndex`. Throws Cancelled on stop.
Network trainNetwork(const TrainingSet& train, const Dataset& data, const ModelConfig& model, const EvalConfig& eval,
    std::uint64_t initSeed, std::uint64_t trainingSeed, int modelIndex, const EvalProgressFn& progress,
    const RunControl* control);

/// Test-split accuracy of a trained network (eval mode, no augmentation, no gradients).
double testAccuracy(NetworkImpl& net, const Dataset& data);

/// Loss for hard (int64) or soft (float N×K) labels: mean cross-entropy, or soft-target cross-entropy.
torch::Tensor classificationLoss(const torch::Tensor& logits, const torch::Tensor& labels);

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "data/dataset.h"
#include "nn/network.h"

#include <distillery/config.h>

#include <torch/torch.h>

#include <functional>

namespace distillery::core {

class Dsa;
class RunControl;

/// A training set on the data set's device: normalised images and hard (int64 N) or soft (float N×K
/// probabilities) labels, and the learning rate a method learned with the set (float [], or undefined).
struct TrainingSet
{
    torch::Tensor images;
    torch::Tensor labels;
    torch::Tensor learnedLr;
};

/// Where a training is: pass `pass` of `passes` (0-based, counting the one in progress), batch `batch` of
/// `batches` in it (batches done).
struct TrainingProgress
{
    int pass = 0;
    int passes = 0;
    long batch = 0;
    long batches = 0;
};
using TrainingProgressFn = std::function<void(const TrainingProgress&)>;

/// One training step on the rows `index` of `images`: non-Siamese DSA when `dsa` is given, the classification loss,
/// one optimiser step. Returns the loss (0-d, on the device). trainOnePass's step, and MTT's experts' (which draw
/// their own order and seeds, so that training can continue from any batch).
torch::Tensor trainStep(NetworkImpl& net, torch::optim::Optimizer& optimizer, const torch::Tensor& images,
    const torch::Tensor& labels, const torch::Tensor& index, Dsa* dsa);

/// One pass over `images` in a fresh random order (torch's generator of their device): batches of `batchSize`,
/// non-Siamese DSA per batch when `dsa` is given, one optimiser step each, then `afterBatch` (may be empty) with
/// that batch's loss (0-d, on the device). A stop request ends it within one batch (Cancelled). The loop of
/// trainNetwork.
void trainOnePass(NetworkImpl& net, torch::optim::Optimizer& optimizer, const torch::Tensor& images,
    const torch::Tensor& labels, std::int64_t batchSize, Dsa* dsa,
    const std::function<void(const torch::Tensor& loss)>& afterBatch, const RunControl* control);

/// Trains one fresh network (initialised from `initSeed`, batches drawn from `trainingSeed`) on `train` with the
/// evaluation protocol's optimiser and schedule (docs/methods.md §1.4): SGD with momentum and weight decay,
/// lr × 0.1 and a new optimiser after pass ⌊E/2⌋ + 1, E + 1 passes, reshuffled batches, optional non-Siamese DSA
/// per batch. Used by the protocol, by coresets' feature network and by the privacy inspector's shadow models.
/// `progress` is called after every batch; a stop request ends it within one batch (Cancelled).
Network trainNetwork(const TrainingSet& train, const Dataset& data, const ModelConfig& model, const EvalConfig& eval,
    std::uint64_t initSeed, std::uint64_t trainingSeed, const TrainingProgressFn& progress, const RunControl* control);

/// Test-split accuracy of a trained network of architecture `model` (eval mode, no augmentation, no gradients); on the
/// CPU in pieces of the default budget (PerformanceConfig::cpuPieceMiB).
double testAccuracy(NetworkImpl& net, const ModelConfig& model, const Dataset& data);

/// Loss for hard (int64) or soft (float N×K) labels: mean cross-entropy, or soft-target cross-entropy.
torch::Tensor classificationLoss(const torch::Tensor& logits, const torch::Tensor& labels);

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "data/dataset.h"
#include "nn/training.h"

#include <distillery/config.h>
#include <distillery/evalresult.h>
#include <distillery/evaluation.h>

#include <torch/torch.h>

#include <string>

namespace distillery::core {

class RunControl;

/// docs/methods.md §1.4: trains `eval.models` fresh networks (model i initialised from deriveSeed(seed, i)) with
/// SGD (momentum, weight decay, lr × 0.1 and a new optimiser after pass ⌊E/2⌋ + 1, E + 1 passes, reshuffled
/// batches, optional non-Siamese DSA per batch), tests each once on the real test split, and reports mean ±
/// population std. Throws Cancelled when `control` stops.
/// mean and population std of `result.accuracies` (at least one).
void summariseAccuracies(EvalResult& result);

EvalResult runProtocol(const TrainingSet& train, const Dataset& data, const ModelConfig& model, const EvalConfig& eval,
    std::uint64_t seed, const std::string& subject, const EvalProgressFn& progress, const RunControl* control);

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "data/dataset.h"
#include "methods/method.h"
#include "nn/training.h"

#include <distillery/config.h>
#include <distillery/evalresult.h>

namespace distillery::core {

class RunControl;

/// A kernel method's own evaluation (docs/methods.md §9.3): `models` times, `readout.randomModels` fresh untrained
/// networks of `model` give the features (or, with `readout.featureNetworks`, each of those in turn, at most
/// `models`), kernel ridge regression from the set (its class targets) predicts every test image, and the argmax is
/// scored. No network is trained. Subject "synthetic, kernel regression"; epochs 0.
EvalResult kernelPrediction(const TrainingSet& set, const KernelReadout& readout, const Dataset& data,
    const ModelConfig& model, int models, std::uint64_t seed, const RunControl* control);

} // namespace distillery::core

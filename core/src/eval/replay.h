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

/// DD's own evaluation (docs/methods.md §3): `models` networks each take the set's learned steps in order — step t
/// on step batch t mod K with step size learnedLr[t], plain gradient steps, no augmentation — and are tested. From
/// fresh initialisations, or `models` times from the fixed one the set was learned for (then every model is the
/// same and n says so honestly). Subject "synthetic, replayed steps"; `epochs` = rounds over the batches.
EvalResult replayLearnedSteps(const TrainingSet& set, const LearnedSchedule& schedule, const Dataset& data,
    const ModelConfig& model, int models, std::uint64_t seed, const RunControl* control);

} // namespace distillery::core

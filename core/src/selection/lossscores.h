// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// Per-image loss scores for data selection (docs/methods.md §10): how hard each training image is for a network
// trained on the whole training split, early in that training and at its end. Computed once per data set and model,
// then read from a cache.
#pragma once

#include "data/dataset.h"

#include <distillery/config.h>
#include <distillery/stageprogress.h>

#include <torch/torch.h>

#include <functional>
#include <optional>
#include <string>

namespace distillery::core {

class RunControl;

/// What determines the scores, and so names their cache file. The recipe is fixed (docs/methods.md §10): the
/// evaluation protocol's SGD (momentum 0.9, weight decay 5e-4, rate × 0.1 after half the epochs), no augmentation.
struct ScoreKey
{
    std::string dataName; ///< for people: "Fashion-MNIST"
    std::string fingerprint; ///< the data set's (DatasetInfo::fingerprint)
    std::int64_t images = 0; ///< training images scored
    ModelConfig model;
    int epochs = 10; ///< the "converged" score is the loss after these
    int earlyEpochs = 1; ///< the "early" score is the loss after these
    double lr = 0.01;
    int batchSize = 256;
    std::uint64_t seed = 0; ///< the network's initialisation and batch order

    /// Canonical JSON text (sorted keys): equal keys, equal text.
    std::string json() const;
    /// The file name without extension: readable parts and a CRC-32 of json().
    std::string id() const;
};

/// The key for `data` scored with `model`.
ScoreKey scoreKeyFor(const Dataset& data, const ModelConfig& model);

/// Each training image's cross-entropy (float32 N, on the CPU), early in the scoring training and at its end.
struct LossScores
{
    torch::Tensor early;
    torch::Tensor converged;
};

/// Trains the scoring network as `key` says and scores every training image (eval mode, no augmentation).
/// `progress` counts batches of the stage "scoring the training images"; a stop request ends it within one batch
/// (Cancelled). With a `progressPath` (scoringProgressPath), where the training stands is kept there every
/// kKeepScoringSeconds and on a stop, and a later call continues from it to the same scores; `log` says so. The
/// caller removes it once the scores are saved.
LossScores computeLossScores(const Dataset& data, const ScoreKey& key, const StageProgressFn& progress,
    const RunControl* control, const std::string& progressPath = {}, const std::function<void(const std::string&)>& log = {});

/// `<dir>/<key.id()>.safetensors`.
std::string lossScoresPath(const std::string& dir, const ScoreKey& key);

/// The scores cached at `path`, or nothing when there is no such file. Error naming the file when it is damaged
/// or was made for another data set, model or recipe (its key differs), never scores that do not belong.
std::optional<LossScores> loadLossScores(const std::string& path, const ScoreKey& key);

/// Writes them atomically, with their key; Error naming the file on a full disk.
void saveLossScores(const std::string& path, const ScoreKey& key, const LossScores& scores);

/// $XDG_DATA_HOME/distillery/scores, else ~/.local/share/distillery/scores (RunConfig::scoresDir "" means this).
std::string scoresDirOr(const std::string& configured);

} // namespace distillery::core

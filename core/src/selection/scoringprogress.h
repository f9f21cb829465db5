// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// Where the loss-score training stands, kept beside the score cache so that a stopped or killed scoring continues
// instead of starting over (docs/methods.md §10, docs/formats.md §13): the scores' counterpart of the experts'
// progress files.
#pragma once

#include "selection/lossscores.h"

#include <torch/torch.h>

#include <functional>
#include <map>
#include <optional>
#include <string>

namespace distillery::core {

/// At most this much training is lost to a kill (a stop loses nothing: it keeps progress first).
constexpr double kKeepScoringSeconds = 30;

struct ScoringProgress
{
    int epoch = 0; ///< the epoch in progress, from 0
    long batch = 0; ///< its next batch
    /// The state of the training device's random generator before this epoch's order was drawn: drawing it again
    /// gives the same order and leaves the generator where an uninterrupted training has it.
    torch::Tensor generator;
    std::map<std::string, torch::Tensor> network; ///< "p_<name>" parameters and "b_<name>" buffers, on the CPU
    std::string optimizer; ///< the SGD's state (momentum) as LibTorch's archive bytes
    torch::Tensor early; ///< the early scores once taken, else undefined
};

/// `<scores path without .safetensors>.progress.safetensors`.
std::string scoringProgressPath(const std::string& scoresPath);

/// Writes `progress` for `key` atomically; Error naming the file on a full disk.
void saveScoringProgress(const std::string& path, const ScoreKey& key, const ScoringProgress& progress);

/// The progress kept at `path` for `key`, or nothing. Progress that belongs to another key or is damaged only costs
/// its time: the file is removed, `log` says why, and the scoring starts over.
std::optional<ScoringProgress> loadScoringProgress(
    const std::string& path, const ScoreKey& key, const std::function<void(const std::string&)>& log);

/// Removes it (no error when there is none).
void removeScoringProgress(const std::string& path);

/// Progress that cannot be used (`why`): removes it and says so through `log`; the scoring starts over.
void discardScoringProgress(const std::string& path, const std::string& why, const std::function<void(const std::string&)>& log);

/// The optimizer's state as bytes, and back (LibTorch's own archive: what torch::save writes).
std::string optimizerStateBytes(torch::optim::Optimizer& optimizer);
void loadOptimizerStateBytes(torch::optim::Optimizer& optimizer, const std::string& bytes, torch::Device device);

} // namespace distillery::core

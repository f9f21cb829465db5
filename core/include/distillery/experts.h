// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// The expert-trajectory cache seen from outside the core (docs/formats.md §12): where it is, what it holds, removing
// an entry. Building experts is a run's preparation stage (Session::prepare); `distillery-cli experts build` runs
// only that stage.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace distillery::core {

/// One cache entry: the experts trained for one key (data set, model, augmentation, epochs, learning rate).
struct ExpertCacheEntry
{
    std::string id; ///< the folder's name, e.g. "fashion-mnist-convnet32x3-e4-lr0.01-3f9a12c0"
    std::string folder;
    std::string description; ///< one line: data set, model, augmentation, epochs, lr, precision
    int experts = 0; ///< complete expert files
    int inProgress = 0; ///< experts stopped part-way, continued by the next build
    int epochs = 0; ///< snapshots per expert − 1
    std::int64_t bytes = 0; ///< on disk, every file of the folder
    std::vector<std::string> problems; ///< files that would be refused (wrong key, damaged), by name
};

/// $XDG_DATA_HOME/distillery/experts, else ~/.local/share/distillery/experts (RunConfig::expertsDir "" means this).
std::string defaultExpertsDir();

/// `configured`, or the default when it is empty.
std::string expertsDirOr(const std::string& configured);

/// Every entry under `dir` (an absent folder has none). Reads headers only.
std::vector<ExpertCacheEntry> listExpertCaches(const std::string& dir);

/// Removes the entry `id` under `dir` (its whole folder). Error when there is no such entry.
void removeExpertCache(const std::string& dir, const std::string& id);

} // namespace distillery::core

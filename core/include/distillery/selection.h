// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// What a run's data selection kept (docs/methods.md §10; the file: docs/formats.md, "selection.safetensors").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace distillery::core {

struct RunSelection
{
    std::string rule; ///< drop-hardest | drop-easiest | drop-random
    double fraction = 0; ///< share of each class dropped
    std::string score; ///< converged | early, or empty (drop-random)
    std::vector<std::int64_t> kept; ///< indices into the training split, ascending
    std::vector<float> scores; ///< every training image's score (the one that ordered the drop); empty for drop-random
};

/// The selection recorded in run folder `runDir`, or nothing when the run kept every image. `trainImages`: the size
/// of the run's training split, which every kept index must fall in. Error naming the file when it is damaged.
std::optional<RunSelection> loadRunSelection(const std::string& runDir, std::int64_t trainImages);

} // namespace distillery::core

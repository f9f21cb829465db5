// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// What a run's data selection kept (docs/methods.md §10; the file: docs/formats.md, "selection.safetensors").
#pragma once

#include <distillery/imagebatch.h>

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
    std::vector<std::int64_t> labels; ///< every training image's class
    std::vector<std::string> classNames;
    /// For people (the window): per class, up to six dropped images, the most extreme first (the hardest for
    /// drop-hardest), and up to six kept ones spread evenly over the kept order; display pixels, class-major.
    ImageBatch8 droppedExamples;
    std::vector<int> droppedExampleClasses;
    ImageBatch8 keptExamples;
    std::vector<int> keptExampleClasses;
};

/// The selection recorded in run folder `runDir`, or nothing when the run kept every image. Every index is checked
/// against the training split the file describes (its labels). Error naming the file when it is damaged.
std::optional<RunSelection> loadRunSelection(const std::string& runDir);

} // namespace distillery::core

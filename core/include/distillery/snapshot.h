// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/imagebatch.h>

#include <cstdint>
#include <string>
#include <vector>

namespace distillery::core {

/// A value copy of the synthetic set at one iteration, for viewers: de-normalised 8-bit pixels, class-major.
struct Snapshot
{
    int iteration = 0;
    int totalIterations = 0;
    int ipc = 0;
    ImageBatch8 images;
    std::vector<std::int64_t> labels;
    std::vector<std::string> classNames;
    std::vector<std::int64_t> initIndices; ///< see SyntheticSet::initIndices
    std::vector<float> softLabels; ///< N×K learned label probabilities; empty for hard labels
    std::vector<float> learnedLr; ///< the learned step size(s), if the method learns them
    bool timelineFrame = false; ///< also kept in the run folder's timeline (timeline.h)

    bool hasSoftLabels() const { return !softLabels.empty(); }
};

} // namespace distillery::core

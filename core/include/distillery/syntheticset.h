// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/imagebatch.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace distillery::core {

/// A distilled (or selected) training set, stored class-major in normalised space: pixel p = x·std + mean.
/// Reading and writing it: syntheticio.h (docs/formats.md gives the file layout).
struct SyntheticSet
{
    ImageBatch images; ///< normalised, N×C×H×W
    std::vector<std::int64_t> labels; ///< hard labels, N (always present: the argmax for soft labels)
    std::vector<float> softLabels; ///< N×K probabilities, empty for hard labels
    int numClasses = 0;
    std::vector<std::string> classNames;
    std::vector<float> mean; ///< per channel
    std::vector<float> std; ///< per channel
    std::vector<float> learnedLr; ///< learned step size(s), if the method learns them
    /// Index of the real training image each synthetic image started from (or was selected as); -1 = noise.
    std::vector<std::int64_t> initIndices;
    /// Free-form string metadata: method, ipc, seed, iterations, dataset identity, config JSON, version.
    std::map<std::string, std::string> metadata;

    int ipc() const { return numClasses > 0 ? images.count / numClasses : 0; }
    bool hasSoftLabels() const { return !softLabels.empty(); }
};

} // namespace distillery::core

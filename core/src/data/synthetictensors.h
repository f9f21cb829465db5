// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/syntheticset.h>

#include <torch/torch.h>

namespace distillery::core {

class Dataset;

/// A synthetic set as torch tensors, the form methods and the evaluation protocol work on.
struct SyntheticTensors
{
    torch::Tensor images; ///< float N×C×H×W, normalised
    torch::Tensor labels; ///< int64 N (hard labels; the argmax for soft ones)
    torch::Tensor softLabels; ///< float N×K probabilities, or undefined
    torch::Tensor learnedLr; ///< float [] or [T], or undefined
    torch::Tensor initIndices; ///< int64 N; -1 = started from noise

    /// What the protocol trains on: the soft labels when present.
    torch::Tensor trainingLabels() const { return softLabels.defined() ? softLabels : labels; }
};

SyntheticTensors toTensors(const SyntheticSet& set, torch::Device device);

/// Host copy with the data set's class names and normalisation.
SyntheticSet toSyntheticSet(const SyntheticTensors& tensors, const Dataset& data);

/// Throws Error when the set's image size, channels or classes differ from the data set's.
void checkFitsDataset(const SyntheticSet& set, const Dataset& data);

} // namespace distillery::core

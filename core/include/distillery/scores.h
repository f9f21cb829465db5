// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace distillery::core {

/// The accuracies DD-Ranking's scores compare (docs/methods.md, "Scores beside the accuracy"), all under one network
/// and training protocol, and all fractions in [0, 1] (the reference code feeds percent into its exponentials; this
/// does not).
struct ScoreInputs
{
    double synthetic = 0; ///< the set with its own labels (soft where it has them), the protocol's augmentation
    double syntheticHard = 0; ///< the set with hard labels (the same as `synthetic` for a hard-label set)
    double fullData = 0; ///< the whole real training split, hard labels
    double random = 0; ///< a random real subset of the same size, same protocol
    double syntheticAugmented = 0; ///< the set trained with DSA augmentation
    double syntheticPlain = 0; ///< … and without
    double randomAugmented = 0; ///< the random subset with DSA augmentation
    double randomPlain = 0; ///< … and without
};

struct Scores
{
    double ior = 0; ///< improvement over random: synthetic − random
    double hlr = 0; ///< hard-label recovery: full data − synthetic with hard labels (lower is better)
    double alpha = 0; ///< w·IOR − (1 − w)·HLR
    double lrs = 0; ///< label-robust score: (e^α − e^−1) / (e − e^−1), in [0, 1]
    double beta = 0; ///< γ·(aug gain over random) + (1 − γ)·(plain gain over random)
    double ars = 0; ///< augmentation-robust score: (e^β − e^−1) / (e − e^−1), in [0, 1]
};

/// DD-Ranking's IOR, HLR, LRS and ARS from `inputs`, with the weights `w` (LRS) and `gamma` (ARS), 0.5 by default
/// as in the reference. Throws Error naming the input when an accuracy is outside [0, 1] (a percent given by
/// mistake) or a weight is outside [0, 1].
Scores ddRankingScores(const ScoreInputs& inputs, double w = 0.5, double gamma = 0.5);

} // namespace distillery::core

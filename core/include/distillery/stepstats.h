// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <vector>

namespace distillery::core {

/// What one outer iteration of a method did. `classTerms` says what is being matched per class (DM: the
/// embedding distance, DC/DSA: the gradient distance, coresets: the per-class selection objective), so a
/// viewer can show it without knowing the method.
struct StepStats
{
    int iteration = 0; ///< 1-based: the number of iterations done after this step
    int totalIterations = 0;
    double loss = 0;
    std::vector<double> classTerms;
    std::string lossName; ///< what `loss` measures, for axis labels
    /// Learned step size(s) after this step: MTT's α (one value), DD's schedule (one per unrolled step); else empty.
    std::vector<double> stepSizes;
    /// MTT: the student's normalised distance to the expert's target after each of its unrolled steps (0…N, the
    /// first is 1 by construction); else empty.
    std::vector<double> unrollCurve;
    double stepSeconds = 0; ///< wall time of this step
    double elapsedSeconds = 0; ///< wall time since the run started (steps only, no evaluations)
};

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include <distillery/error.h>
#include <distillery/scores.h>

#include <cmath>
#include <string>
#include <utility>

namespace distillery::core {
namespace {

    /// Maps α ∈ [−1, 1] to [0, 1] the way DD-Ranking does.
    double normalised(double a)
    {
        return (std::exp(a) - std::exp(-1.0)) / (std::exp(1.0) - std::exp(-1.0));
    }

} // namespace

Scores ddRankingScores(const ScoreInputs& in, double w, double gamma)
{
    const std::pair<const char*, double> accuracies[] = {{"synthetic", in.synthetic}, {"syntheticHard", in.syntheticHard},
        {"fullData", in.fullData}, {"random", in.random}, {"syntheticAugmented", in.syntheticAugmented},
        {"syntheticPlain", in.syntheticPlain}, {"randomAugmented", in.randomAugmented}, {"randomPlain", in.randomPlain}};
    for (const auto& [name, value] : accuracies)
        if (!(value >= 0 && value <= 1))
            throw Error(std::string("scores: ") + name + " = " + std::to_string(value)
                + " is not an accuracy as a fraction in [0, 1] (percent given?)");
    for (const auto& [name, value] : {std::pair{"w", w}, std::pair{"gamma", gamma}})
        if (!(value >= 0 && value <= 1))
            throw Error(std::string("scores: the weight ") + name + " = " + std::to_string(value) + " is outside [0, 1]");
    Scores s;
    s.ior = in.synthetic - in.random;
    s.hlr = in.fullData - in.syntheticHard;
    s.alpha = w * s.ior - (1 - w) * s.hlr;
    s.lrs = normalised(s.alpha);
    s.beta = gamma * (in.syntheticAugmented - in.randomAugmented) + (1 - gamma) * (in.syntheticPlain - in.randomPlain);
    s.ars = normalised(s.beta);
    return s;
}

} // namespace distillery::core

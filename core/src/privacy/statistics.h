// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// Statistics of the privacy inspector (docs/privacy.md §4.4, §5): attack curves, bootstrap and Wilson intervals.
#pragma once

#include <distillery/privacy.h>

#include <cstdint>
#include <random>
#include <vector>

namespace distillery::core {

/// AUC = P(member score > non-member score) + ½ P(equal) (Mann–Whitney, average ranks for ties).
double aucOf(const std::vector<double>& members, const std::vector<double>& nonMembers);

/// The ROC over every distinct threshold, from (0, 0) to (1, 1).
std::vector<RocPoint> rocOf(const std::vector<double>& members, const std::vector<double>& nonMembers);

/// Max TPR over thresholds whose FPR ≤ alpha (no interpolation).
double tprAtFpr(const std::vector<RocPoint>& roc, double alpha);

/// At most `points` ROC points, log-spaced in FPR (the low-FPR region is what matters), for reports.
std::vector<RocPoint> thinRoc(const std::vector<RocPoint>& roc, int points);

/// Percentile (0–100) by linear interpolation between order statistics.
double percentile(std::vector<double> values, double p);

/// Bootstrap percentile intervals: members and non-members resampled separately, `statistic` recomputed each time.
template<typename Statistic>
Interval bootstrapInterval(const std::vector<double>& members, const std::vector<double>& nonMembers, int resamples,
    std::uint64_t seed, Statistic&& statistic)
{
    Interval out;
    out.value = statistic(members, nonMembers);
    if (resamples < 2 || members.empty() || nonMembers.empty()) {
        out.low = out.high = out.value;
        return out;
    }
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<std::size_t> pickM(0, members.size() - 1), pickN(0, nonMembers.size() - 1);
    std::vector<double> values;
    std::vector<double> m(members.size()), n(nonMembers.size());
    for (int b = 0; b < resamples; ++b) {
        for (auto& v : m)
            v = members[pickM(rng)];
        for (auto& v : n)
            v = nonMembers[pickN(rng)];
        values.push_back(statistic(m, n));
    }
    out.low = percentile(values, 2.5);
    out.high = percentile(values, 97.5);
    return out;
}

} // namespace distillery::core

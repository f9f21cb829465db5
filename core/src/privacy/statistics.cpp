// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "privacy/statistics.h"

#include <distillery/error.h>

#include <algorithm>
#include <cmath>

namespace distillery::core {

double aucOf(const std::vector<double>& members, const std::vector<double>& nonMembers)
{
    if (members.empty() || nonMembers.empty())
        return 0.5;
    std::vector<std::pair<double, bool>> all;
    all.reserve(members.size() + nonMembers.size());
    for (double s : members)
        all.emplace_back(s, true);
    for (double s : nonMembers)
        all.emplace_back(s, false);
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    double memberRankSum = 0;
    for (std::size_t i = 0; i < all.size();) {
        std::size_t j = i;
        while (j < all.size() && all[j].first == all[i].first)
            ++j;
        const double averageRank = 0.5 * static_cast<double>(i + 1 + j); // ranks i+1 … j, ties share their mean
        for (std::size_t t = i; t < j; ++t)
            if (all[t].second)
                memberRankSum += averageRank;
        i = j;
    }
    const double m = static_cast<double>(members.size()), n = static_cast<double>(nonMembers.size());
    return (memberRankSum - m * (m + 1) / 2) / (m * n);
}

std::vector<RocPoint> rocOf(const std::vector<double>& members, const std::vector<double>& nonMembers)
{
    std::vector<double> m = members, n = nonMembers;
    std::sort(m.begin(), m.end(), std::greater<>());
    std::sort(n.begin(), n.end(), std::greater<>());
    std::vector<double> thresholds;
    thresholds.insert(thresholds.end(), m.begin(), m.end());
    thresholds.insert(thresholds.end(), n.begin(), n.end());
    std::sort(thresholds.begin(), thresholds.end(), std::greater<>());
    thresholds.erase(std::unique(thresholds.begin(), thresholds.end()), thresholds.end());
    std::vector<RocPoint> roc{{0.0, 0.0}};
    std::size_t im = 0, in = 0;
    for (double tau : thresholds) { // predict "member" when score ≥ τ
        while (im < m.size() && m[im] >= tau)
            ++im;
        while (in < n.size() && n[in] >= tau)
            ++in;
        roc.push_back({n.empty() ? 0.0 : static_cast<double>(in) / static_cast<double>(n.size()),
            m.empty() ? 0.0 : static_cast<double>(im) / static_cast<double>(m.size())});
    }
    return roc;
}

double tprAtFpr(const std::vector<RocPoint>& roc, double alpha)
{
    double best = 0;
    for (const auto& p : roc)
        if (p.fpr <= alpha)
            best = std::max(best, p.tpr);
    return best;
}

std::vector<RocPoint> thinRoc(const std::vector<RocPoint>& roc, int points)
{
    if (static_cast<int>(roc.size()) <= points)
        return roc;
    double smallest = 1.0;
    for (const auto& p : roc)
        if (p.fpr > 0)
            smallest = std::min(smallest, p.fpr);
    std::vector<RocPoint> out{roc.front()};
    for (int i = 0; i < points; ++i) {
        const double fpr = smallest * std::pow(1.0 / smallest, static_cast<double>(i) / (points - 1));
        out.push_back({fpr, tprAtFpr(roc, fpr)});
    }
    return out;
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const double position = p / 100.0 * static_cast<double>(values.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const auto above = std::min(values.size() - 1, below + 1);
    return values[below] + (position - static_cast<double>(below)) * (values[above] - values[below]);
}

AttackStatistics attackStatistics(const std::vector<double>& memberScores, const std::vector<double>& nonMemberScores)
{
    const auto roc = rocOf(memberScores, nonMemberScores);
    AttackStatistics s;
    s.auc = aucOf(memberScores, nonMemberScores);
    s.tprAt1 = tprAtFpr(roc, 0.01);
    s.tprAt01 = tprAtFpr(roc, 0.001);
    for (const auto& p : roc)
        s.advantage = std::max(s.advantage, p.tpr - p.fpr);
    return s;
}

Interval wilsonInterval(int successes, int trials)
{
    Interval out;
    if (trials <= 0)
        return out;
    const double z = 1.96, n = trials, p = static_cast<double>(successes) / n;
    const double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
    const double half = z * std::sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n);
    out.value = p;
    out.low = std::max(0.0, centre - half);
    out.high = std::min(1.0, centre + half);
    return out;
}

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "privacy/findings.h"

#include <cstdio>
#include <string>

namespace distillery::core {
namespace {

    std::string fixed(double v, int digits)
    {
        char text[32];
        std::snprintf(text, sizeof text, "%.*f", digits, v);
        return text;
    }

    std::string interval(const Interval& i, int digits, double scale = 1)
    {
        return fixed(scale * i.value, digits) + " [" + fixed(scale * i.low, digits) + ", " + fixed(scale * i.high, digits) + "]";
    }

    std::string ofImages(int count, int total)
    {
        return std::to_string(count) + " of " + std::to_string(total) + (total == 1 ? " image" : " images");
    }

} // namespace

std::vector<PrivacyFinding> plainFindings(const PrivacyReport& r, const PrivacyOptions& options)
{
    std::vector<PrivacyFinding> out;
    const int n = static_cast<int>(r.images.size());
    int high = 0, copies = 0, startStill = 0;
    bool startedFromReal = false;
    for (const auto& p : r.images) {
        high += p.level == "high";
        copies += p.exactCopy;
        startedFromReal = startedFromReal || p.initIndex >= 0;
        startStill += p.initIndex >= 0 && p.initRank == 1;
    }
    const std::string space = "Measured in " + r.space + ".";

    if (r.realImages)
        out.push_back({"This set is made of real training images (" + r.method + "): it shows those images as they are.",
            "A coreset selects training images instead of synthesising new ones, so every image of it is a training "
            "image. " + space});
    if (copies > 0)
        out.push_back({ofImages(copies, n) + (copies == 1 ? " is a copy" : " are copies") + " of a training image.",
            "Every pixel within half a grey level of its nearest training image. The gallery below shows each one "
            "beside that image. " + space});
    else if (high > 0)
        out.push_back({ofImages(high, n) + (high == 1 ? " looks" : " look") + " very much like one particular training image.",
            similarityThresholds() + " The gallery below lists the closest first. " + space});
    else
        out.push_back({"None of the " + std::to_string(n) + " images is a copy of, or very close to, a single training "
                "image by this test.",
            similarityThresholds() + " No evidence that single training images can be recovered by nearest-neighbour "
            "search; stronger attacks may succeed. " + space});
    if (startedFromReal)
        out.push_back({ofImages(startStill, n) + " still " + (startStill == 1 ? "sits" : "sit")
                + " closest to the real training image " + (startStill == 1 ? "it" : "they") + " started from.",
            "Rank of the start image among all training images by distance (1 = still the closest); an image that "
            "started from a real one can keep much of it. Use the movement slider to see how far each one moved. "
            + space});
    const Interval& closer = r.dcr.shareCloserToTraining;
    out.push_back({fixed(100 * closer.value, 0) + " % of the images sit closer to a training image than to an unseen "
            "real one; about 50 % is what a set with nothing specific to its training images would show.",
        "Distance to closest record against equal-size reference sets of " + std::to_string(r.dcr.referenceSize)
            + " training and " + std::to_string(r.dcr.referenceSize) + " held-out images, " + std::to_string(r.dcr.draws)
            + " draws: share closer to training " + interval(closer, 1, 100) + " % (95 % Wilson interval). " + space});
    for (const auto& d : r.differences) {
        const Interval& a = d.aucDifference;
        std::string headline;
        if (a.low > 0)
            headline = "Guessing which real images were used for training works better on networks trained on this "
                       "set than on a random real subset of the same size";
        else if (a.high < 0)
            headline = "Guessing which real images were used for training works worse on networks trained on this set "
                       "than on a random real subset of the same size";
        else
            headline = "Guessing which real images were used for training does no better on networks trained on this "
                       "set than on a random real subset of the same size";
        out.push_back({headline + ": AUC difference " + interval(a, 2) + ".",
            "Membership inference by loss threshold, pool '" + d.pool + "', " + std::to_string(r.membershipSeeds)
                + " target models per training set: AUC(synthetic) − AUC(random real subset), 95 % bootstrap interval; "
                  "result state: " + d.state + ". No leakage detected by this test does not rule out stronger attacks."});
    }
    if (!options.membershipInference)
        out.push_back({"Membership inference was not run.",
            "Tick \"Membership inference\" and inspect again: it trains networks on the set and on a random real "
            "subset and compares how well an attacker tells members from non-members."});
    return out;
}

std::string privacyCannotRun(std::int64_t syntheticImages, std::int64_t testImages, const std::string& source)
{
    if (testImages >= 2 * syntheticImages + 2)
        return {};
    return "privacy: " + source + " has too few test images (" + std::to_string(testImages)
        + ") to serve as held-out references for " + std::to_string(syntheticImages) + " synthetic images (it needs "
        + std::to_string(2 * syntheticImages + 2) + ")";
}

} // namespace distillery::core

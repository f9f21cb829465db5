// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// DC/DSA's inner loop replayed from CUDA graphs against the same loop run launch by launch (issue #3): the graphed
// loop must train the reference ConvNet to the same parameters (relative difference ≤ 1e-4, deterministic cuDNN,
// no TF32) — with DSA too, because a replayed graph draws the same random numbers as the eager ops it captured.
// One batch size (100 images, IPC 10) and two (300 images: 256 + a remainder of 44). Exit code 77 (skipped)
// without a CUDA device or without graphs built in.
#include <distillery/device.h>
#include <distillery/diagnostics.h>
#include <distillery/error.h>
#include <distillery/performance.h>

#include <cstdio>
#include <string>
#include <vector>

using namespace distillery::core;

namespace {

struct NamedCase
{
    std::string name;
    InnerLoopCase check;
};

InnerLoopCase makeCase(const std::string& first, const std::string& augment, int images)
{
    InnerLoopCase c;
    c.device = "cuda:0";
    c.first = first;
    c.second = "graphed";
    c.augment = augment;
    c.images = images;
    c.classes = 10;
    c.channels = 1;
    c.size = 28;
    c.batch = 256;
    c.epochs = 5;
    c.netWidth = 128;
    c.depth = 3;
    return c;
}

std::string failures(const InnerLoopCheck& r)
{
    std::string why;
    auto expect = [&](bool ok, const std::string& what) {
        if (!ok)
            why += (why.empty() ? "" : "; ") + what;
    };
    expect(r.secondMode == "graphed", "graphs were not used: " + r.fallbackReason);
    expect(r.parameterChange > 1e-4, "the first loop did not train the network");
    expect(r.parameterDifference <= 1e-4, "parameters differ by " + std::to_string(r.parameterDifference));
    return why;
}

} // namespace

int main()
{
    if (!cudaGraphsAvailable("cuda:0")) {
        std::printf("SKIP: no CUDA device, or this build has no CUDA graphs\n");
        return 77;
    }
    const std::string dsa = "color_crop_cutout_flip_scale_rotate";
    InnerLoopCase lazy = makeCase("fixed-shape", dsa, 100);
    lazy.prepareFirst = false; // captured inside train(), after the seed, as in a run
    InnerLoopCase batchNorm = makeCase("fixed-shape", dsa, 100);
    batchNorm.norm = "batch";
    batchNorm.prepareFirst = false;
    const std::vector<NamedCase> cases{
        {"DC, 100 images, fixed-shape vs graphed", makeCase("fixed-shape", "none", 100)},
        {"DC, 100 images, reference vs graphed", makeCase("reference", "none", 100)},
        {"DC, 300 images (256 + 44), fixed-shape vs graphed", makeCase("fixed-shape", "none", 300)},
        {"DSA, 100 images, fixed-shape vs graphed", makeCase("fixed-shape", dsa, 100)},
        {"DSA, 300 images (256 + 44), fixed-shape vs graphed", makeCase("fixed-shape", dsa, 300)},
        {"DSA crop only, 100 images, reference vs graphed", makeCase("reference", "crop", 100)},
        {"DSA, captured inside train() after the seed", lazy},
        {"DSA, batch norm, captured inside train()", batchNorm},
    };
    int failed = 0;
    for (const NamedCase& c : cases) {
        std::string why;
        InnerLoopCheck r;
        try {
            r = checkInnerLoop(c.check);
            why = failures(r);
        } catch (const Error& e) {
            why = e.what();
        }
        std::printf("%s  %-52s difference %.2e, change %.2e, loss %.3f -> %.3f%s%s\n", why.empty() ? "PASS" : "FAIL",
            c.name.c_str(), r.parameterDifference, r.parameterChange, r.lossBefore, r.lossAfter,
            why.empty() ? "" : "  — ", why.c_str());
        failed += why.empty() ? 0 : 1;
    }
    // Last: a capture broken by a live parameter graph may leave the process's CUDA generator unusable.
    InnerLoopCase liveGraph = makeCase("fixed-shape", dsa, 100);
    liveGraph.liveParameterGraph = true;
    {
        std::string why;
        std::string outcome;
        try {
            const InnerLoopCheck r = checkInnerLoop(liveGraph);
            if (r.secondMode == "graphed") {
                why = failures(r);
                outcome = "captured";
            } else if (r.fallbackReason.find("CUDA graphs") == std::string::npos) {
                why = "fell back without naming CUDA graphs: " + r.fallbackReason;
            } else {
                outcome = "fell back: " + r.fallbackReason;
            }
        } catch (const Error& e) {
            const std::string what = e.what();
            if (what.find("CUDA graphs") == std::string::npos)
                why = "an error that does not name CUDA graphs: " + what;
            else
                outcome = "stopped with: " + what;
        }
        // The outer loop of gradient matching drops its graph before the inner loop; this case records what
        // LibTorch does when one is kept, and that the answer is a clear message rather than a random op's failure.
        std::printf("%s  %-52s %s%s%s\n", why.empty() ? "PASS" : "FAIL", "DSA, a parameter graph alive during capture",
            outcome.c_str(), why.empty() ? "" : "  — ", why.c_str());
        failed += why.empty() ? 0 : 1;
    }
    std::printf("%d of %zu cases passed\n", static_cast<int>(cases.size()) + 1 - failed, cases.size() + 1);
    return failed == 0 ? 0 : 1;
}

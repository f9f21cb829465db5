// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// The fused CUDA ConvNet kernels (issue #6) against the stock ops: relative error ≤ 1e-5 in fp32 and ≤ 1e-2 in
// bf16 for one block (≤ 2e-2 for the features, three blocks deep), every output element written (outputs are poisoned with NaN first), odd batch sizes, 28×28 grey
// (padding 3) and 32×32 colour inputs, random and real Fashion-MNIST images. Exit code 77 (skipped) without a
// CUDA device and a build with the kernels.
#include <distillery/datasets.h>
#include <distillery/device.h>
#include <distillery/diagnostics.h>
#include <distillery/error.h>
#include <distillery/performance.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

using namespace distillery::core;

namespace {

struct NamedCase
{
    std::string name;
    FusedForwardCase check;
};

FusedForwardCase makeCase(int batch, int channels, int size, bool bf16, int width = 128, int depth = 3)
{
    FusedForwardCase c;
    c.batch = batch;
    c.channels = channels;
    c.height = size;
    c.width = size;
    c.bfloat16 = bf16;
    c.netWidth = width;
    c.depth = depth;
    return c;
}

/// Empty when the case passes, else what failed.
std::string failures(const FusedForwardCase& c, const FusedForwardCheck& r)
{
    std::string why;
    auto expect = [&](bool ok, const std::string& what) {
        if (!ok)
            why += (why.empty() ? "" : "; ") + what;
    };
    expect(r.ran, "the check did not run");
    expect(r.forwardUsedFusedPath, "the ConvNet's no-grad CUDA forward did not choose the fused kernels");
    expect(r.block1Elements > 0 && r.block1Unwritten == 0,
        std::to_string(r.block1Unwritten) + " of " + std::to_string(r.block1Elements) + " block-1 outputs unwritten");
    if (c.depth > 1)
        expect(r.normPoolElements > 0 && r.normPoolUnwritten == 0,
            std::to_string(r.normPoolUnwritten) + " of " + std::to_string(r.normPoolElements)
                + " norm-pool outputs unwritten");
    // bf16 rounds every block's output to 8 significant bits (2^-8 ≈ 3.9e-3 of the largest value); two correct
    // implementations round differently, and three blocks deep the features differed by up to 1.01e-2 on the H100
    // (2026-11-28; batch 7 and 2 560 alike) where each single block stayed below 7e-3. An indexing bug gives
    // errors of order 1, so the bounds still catch one.
    const double tolerance = c.bfloat16 ? 1e-2 : 1e-5;
    const double featureTolerance = c.bfloat16 ? 2e-2 : 1e-5;
    expect(r.block1Error <= tolerance, "block 1 error above " + std::to_string(tolerance));
    expect(r.normPoolError <= tolerance, "norm-pool error above " + std::to_string(tolerance));
    expect(r.featureError <= featureTolerance, "feature error above " + std::to_string(featureTolerance));
    return why;
}

FusedForwardCheck runCase(const FusedForwardCase& c, std::string& why)
{
    try {
        const FusedForwardCheck r = checkFusedConvNetForward(c);
        why = failures(c, r);
        return r;
    } catch (const Error& e) {
        why = e.what();
        return {};
    }
}

} // namespace

int main()
{
    if (!fusedKernelsAvailable("cuda:0")) {
        std::printf("SKIP: no CUDA device with Distillery's fused kernels in this build\n");
        return 77;
    }
    std::vector<NamedCase> cases{
        {"28x28 grey fp32, batch 7", makeCase(7, 1, 28, false)},
        {"28x28 grey fp32, batch 1", makeCase(1, 1, 28, false)},
        {"28x28 grey fp32, batch 2561", makeCase(2561, 1, 28, false)},
        {"32x32 colour fp32, batch 5", makeCase(5, 3, 32, false)},
        {"28x28 grey bf16, batch 7", makeCase(7, 1, 28, true)},
        {"32x32 colour bf16, batch 3", makeCase(3, 3, 32, true)},
        {"width 20 (a partial channel group), batch 9", makeCase(9, 1, 28, false, 20)},
        {"depth 1, batch 4", makeCase(4, 1, 28, false, 128, 1)},
    };
    if (std::filesystem::exists(fashionMnistDir())) {
        for (const bool bf16 : {false, true}) {
            FusedForwardCase real = makeCase(2560, 1, 28, bf16);
            real.source = "fashion-mnist";
            cases.push_back({std::string("Fashion-MNIST, 2560 real images, ") + (bf16 ? "bf16" : "fp32"), real});
        }
    } else {
        std::printf("note: Fashion-MNIST not found (set DISTILLERY_FASHION_MNIST_DIR): real-image cases left out\n");
    }

    int failed = 0;
    for (const NamedCase& c : cases) {
        std::string why;
        const FusedForwardCheck r = runCase(c.check, why);
        std::printf("%s  %-48s block 1 %.2e, norm-pool %.2e, features %.2e%s%s\n", why.empty() ? "PASS" : "FAIL",
            c.name.c_str(), r.block1Error, r.normPoolError, r.featureError, why.empty() ? "" : "  — ", why.c_str());
        failed += why.empty() ? 0 : 1;
    }
    std::printf("%d of %zu cases passed\n", static_cast<int>(cases.size()) - failed, cases.size());
    return failed == 0 ? 0 : 1;
}

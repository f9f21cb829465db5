// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// The torch-free checks of distillery/diagnostics.h, for tests and benchmarks.
#include "methods/dm.h"
#include "methods/gradientmatching.h"
#include "methods/matchingtools.h"
#include "util/torchutil.h"

#include <distillery/device.h>
#include <distillery/diagnostics.h>
#include <distillery/error.h>
#include <distillery/performance.h>
#include <distillery/session.h>

namespace distillery::core {
namespace {

    torch::Tensor toTorch(const PlainTensor& t)
    {
        std::int64_t n = 1;
        for (auto d : t.shape)
            n *= d;
        if (n != static_cast<std::int64_t>(t.values.size()))
            throw Error("tensor: " + std::to_string(t.values.size()) + " values do not fill its shape");
        return fromFloatVector(t.values, t.shape);
    }

    std::vector<double> toDoubles(const torch::Tensor& t)
    {
        const std::vector<float> f = toFloatVector(t);
        return {f.begin(), f.end()};
    }

} // namespace

double gradientMatchingDistance(
    const std::vector<PlainTensor>& synthetic, const std::vector<PlainTensor>& real, const std::string& metric)
{
    return translateErrors("gradient distance", [&] {
        std::vector<torch::Tensor> s, r;
        for (const auto& t : synthetic)
            s.push_back(toTorch(t).to(torch::kFloat64));
        for (const auto& t : real)
            r.push_back(toTorch(t).to(torch::kFloat64));
        return gradientDistance(s, r, metric).item<double>();
    });
}

DmLossCheck checkDmBatchedLoss(const RunConfig& runConfig)
{
    RunConfig config = runConfig;
    validate(config);
    setThreadCount(config.threads);
    const std::string device = resolveDevice(config.device);
    applyPerformanceSettings(config.performance, device); // TF32 and the fused kernels as the config says
    return translateErrors("DM check", [&] {
        const auto data = loadDataset(config.data, toTorchDevice(device));
        DmMethod dm;
        config = resolveConfig(config, data->info());
        torch::manual_seed(config.seed);
        dm.init({*data, config, nullptr, {}});
        const auto [batched, loop] = dm.lossBothWays(1);
        DmLossCheck check;
        check.batched = batched.loss.item<double>();
        check.perClass = loop.loss.item<double>();
        check.batchedTerms = toDoubles(batched.classTerms);
        check.perClassTerms = toDoubles(loop.classTerms);
        return check;
    });
}

GradientMatchCheck checkGradientMatchingBatched(const RunConfig& runConfig)
{
    RunConfig config = runConfig;
    validate(config);
    if (config.method != "dc" && config.method != "dsa")
        throw Error("method: the gradient-matching check needs dc or dsa");
    setThreadCount(config.threads);
    const std::string device = resolveDevice(config.device);
    applyPerformanceSettings(config.performance, device);
    return translateErrors("gradient-matching check", [&] {
        const auto data = loadDataset(config.data, toTorchDevice(device));
        GradientMatchingMethod method(config.method == "dsa");
        config = resolveConfig(config, data->info());
        torch::manual_seed(config.seed);
        method.init({*data, config, nullptr, {}});
        const auto [parallel, loop] = method.distancesBothWays(1);
        return GradientMatchCheck{toDoubles(parallel), toDoubles(loop)};
    });
}

} // namespace distillery::core

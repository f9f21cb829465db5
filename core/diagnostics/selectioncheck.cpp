// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// The data-selection checks of distillery/diagnostics.h.
#include "methods/method.h"
#include "selection/dataselection.h"
#include "util/torchutil.h"

#include <distillery/device.h>
#include <distillery/diagnostics.h>
#include <distillery/error.h>
#include <distillery/session.h>

namespace distillery::core {
std::vector<std::int64_t> selectKeptIndices(const std::vector<std::int64_t>& labels, int classes, const std::string& rule,
    double fraction, const std::vector<float>& scores, std::uint64_t seed)
{
    return translateErrors("data selection", [&] {
        const torch::Tensor l = torch::tensor(labels, torch::kInt64);
        const torch::Tensor s = scores.empty() ? torch::Tensor() : torch::tensor(scores, torch::kFloat);
        return toInt64Vector(selectKept(l, classes, rule, fraction, s, seed));
    });
}

SelectionSamplingCheck checkSelectionSampling(const RunConfig& runConfig, int steps)
{
    RunConfig config = runConfig;
    validate(config);
    const std::string device = resolveDevice(config.device);
    return translateErrors("selection check", [&] {
        auto data = loadDataset(config.data, toTorchDevice(device));
        config = resolveConfig(config, data->info());
        applyDataSelection(*data, config, "", false, {}, {}, nullptr);
        SelectionSamplingCheck check;
        check.labels = toInt64Vector(data->trainLabels());
        if (data->keptIndices().defined()) // nothing selected: every image, `kept` stays empty
            check.kept = toInt64Vector(data->keptIndices());
        data->observeDraws([&check](const torch::Tensor& drawn) {
            const std::vector<std::int64_t> d = toInt64Vector(drawn);
            check.drawn.insert(check.drawn.end(), d.begin(), d.end());
        });
        auto method = createMethod(config.method);
        torch::manual_seed(config.seed);
        method->init({*data, config, nullptr, {}, {}});
        for (int i = 1; i <= steps; ++i) {
            torch::manual_seed(config.seed + static_cast<std::uint64_t>(i));
            method->step(i);
        }
        const torch::Tensor init = method->synthetic().initIndices;
        if (init.defined())
            check.initIndices = toInt64Vector(init);
        return check;
    });
}

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/dataset.h"
#include "methods/method.h"
#include "util/torchutil.h"

#include <distillery/bench.h>
#include <distillery/device.h>
#include <distillery/error.h>

#include <algorithm>
#include <chrono>
#include <numeric>

namespace distillery::core {

BenchResult benchmarkMethod(const RunConfig& runConfig, int warmup, int iterations,
    const std::function<void(int, int)>& progress)
{
    if (warmup < 0 || iterations < 1)
        throw Error("bench: needs at least one timed iteration and a non-negative warm-up");
    RunConfig config = runConfig;
    validate(config);
    using Clock = std::chrono::steady_clock;
    const auto setupStart = Clock::now();
    setThreadCount(config.threads);
    const std::string device = resolveDevice(config.device);
    applyPerformanceSettings(config.performance, device);

    return translateErrors("bench " + config.method, [&] {
        const auto data = loadDataset(config.data, toTorchDevice(device));
        checkIpcFits(data->info(), config.ipc);
        auto method = createMethod(config.method);
        method->resolveDefaults(config, data->info());
        torch::manual_seed(config.seed);
        method->init({*data, config, nullptr, {}});
        synchronizeDevice(device);

        BenchResult r;
        r.method = config.method;
        r.device = device;
        r.preset = config.preset;
        r.ipc = config.ipc;
        r.warmup = warmup;
        r.configJson = toJson(config);
        r.setupSeconds = std::chrono::duration<double>(Clock::now() - setupStart).count();
        resetPeakDeviceMemory(device);
        const int total = warmup + iterations;
        for (int i = 1; i <= total; ++i) {
            torch::manual_seed(deriveSeed(config.seed, 0x52, static_cast<std::uint64_t>(i)));
            const auto start = Clock::now();
            const StepResult step = method->step(i);
            synchronizeDevice(device);
            const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
            checkFinite(step.loss.item<double>(), "the " + config.method + " loss");
            if (i > warmup)
                r.stepMs.push_back(ms);
            if (progress)
                progress(i, total);
        }
        r.peakMemoryBytes = peakDeviceMemory(device);
        std::vector<double> sorted = r.stepMs;
        std::sort(sorted.begin(), sorted.end());
        const std::size_t n = sorted.size();
        r.medianMs = n % 2 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
        r.meanMs = std::accumulate(sorted.begin(), sorted.end(), 0.0) / static_cast<double>(n);
        r.minMs = sorted.front();
        r.iterationsPerSecond = 1000.0 / r.medianMs;
        return r;
    });
}

} // namespace distillery::core

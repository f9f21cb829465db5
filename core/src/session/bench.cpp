// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/dataset.h"
#include "methods/matchingtools.h"
#include "methods/method.h"
#include "nn/network.h"
#include "util/autocast.h"
#include "util/torchutil.h"

#include <distillery/bench.h>
#include <distillery/device.h>
#include <distillery/error.h>
#include <distillery/performance.h>
#include <distillery/session.h>

#include <torch/csrc/autograd/profiler_legacy.h>

#include <algorithm>
#include <chrono>
#include <numeric>

namespace distillery::core {

namespace {

    using Clock = std::chrono::steady_clock;

    /// Warm-up, then `iterations` timed calls of `once`, each ended by a device synchronisation; fills the
    /// timing fields of `r`.
    void timeIterations(BenchResult& r, const std::string& device, int warmup, int iterations,
        const std::function<void(int)>& once, const std::function<void(int, int)>& progress, const std::string& tracePath)
    {
        resetPeakDeviceMemory(device);
        const int total = warmup + iterations;
        std::unique_ptr<torch::autograd::profiler::RecordProfile> trace; // written when it goes out of scope
        for (int i = 1; i <= total; ++i) {
            if (i == warmup + 1 && !tracePath.empty())
                trace = std::make_unique<torch::autograd::profiler::RecordProfile>(tracePath);
            const auto start = Clock::now();
            once(i);
            synchronizeDevice(device);
            const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
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
    }

    /// What both benchmarks do before loading anything: check the counts and config, set threads and the CUDA
    /// switches. The clock starts here, so setupSeconds covers data loading and preparation.
    struct BenchSetup
    {
        RunConfig config;
        std::string device;
        Clock::time_point start;
    };

    BenchSetup prepareBench(const RunConfig& runConfig, int warmup, int iterations)
    {
        if (warmup < 0 || iterations < 1)
            throw Error("bench: needs at least one timed iteration and a non-negative warm-up");
        BenchSetup s{runConfig, {}, Clock::now()};
        validate(s.config);
        setThreadCount(s.config.threads);
        s.device = resolveDevice(s.config.device);
        applyPerformanceSettings(s.config.performance, s.device);
        return s;
    }

    /// The result's description, once everything is prepared (the config as resolved by then).
    BenchResult describeBench(const BenchSetup& s, const std::string& method, int warmup)
    {
        BenchResult r;
        r.method = method;
        r.device = s.device;
        r.preset = s.config.preset;
        r.ipc = s.config.ipc;
        r.warmup = warmup;
        r.fusedKernels = s.config.performance.fusedKernels && fusedKernelsAvailable(s.device);
        r.bf16 = s.config.performance.bf16;
        r.configJson = toJson(s.config);
        r.setupSeconds = std::chrono::duration<double>(Clock::now() - s.start).count();
        return r;
    }

} // namespace

BenchResult benchmarkMethod(const RunConfig& runConfig, int warmup, int iterations,
    const std::function<void(int, int)>& progress, const std::string& tracePath)
{
    BenchSetup setup = prepareBench(runConfig, warmup, iterations);
    const std::string& device = setup.device;
    // The run's own preparation (data, resolved config, method init), without a run folder or evaluation.
    RunConfig request = setup.config;
    request.outDir.clear();
    request.finalEval = false;
    Session session(request);
    std::vector<std::string> notes;
    SessionCallbacks callbacks;
    callbacks.onMessage = [&notes](const std::string& line) { notes.push_back(line); };
    session.prepare(callbacks);
    setup.config = session.config();
    synchronizeDevice(device);

    BenchResult r = describeBench(setup, setup.config.method, warmup);
    timeIterations(r, device, warmup, iterations, [&](int i) { session.benchmarkStep(i); }, progress, tracePath);
    r.notes = std::move(notes);
    return r;
}

BenchResult benchmarkForward(const RunConfig& runConfig, int images, bool testSplit, int warmup, int iterations,
    const std::function<void(int, int)>& progress, const std::string& tracePath)
{
    const BenchSetup setup = prepareBench(runConfig, warmup, iterations);
    const RunConfig& config = setup.config;
    const std::string& device = setup.device;

    return translateErrors("bench forward", [&] {
        const auto data = loadDataset(config.data, toTorchDevice(device));
        const torch::Tensor& pool = testSplit ? data->testImages() : data->trainImages();
        if (images < 1 || images > pool.size(0))
            throw Error("bench --forward: " + std::to_string(images) + " images asked, the "
                + (testSplit ? std::string("test") : std::string("training")) + " split has " + std::to_string(pool.size(0)));
        const bool channelsLast = config.performance.channelsLast && !data->device().is_cpu();
        // With performance.bf16 the forward runs as DM's real-image pass does: bf16 input under bf16 autocast.
        const bool bf16 = config.performance.bf16;
        torch::Tensor x = pool.slice(0, 0, images);
        if (bf16)
            x = x.to(torch::kBFloat16);
        x = withLayout(x, channelsLast);
        const Network net = makeSeededNetwork(config.model,
            networkShape(*data), config.seed, data->device());
        if (channelsLast)
            useChannelsLast(*net);
        net->eval();
        synchronizeDevice(device);

        BenchResult r = describeBench(setup, "forward", warmup);
        r.images = images;
        torch::NoGradGuard noGrad;
        const Bf16Autocast autocast(data->device(), bf16);
        torch::Tensor logits;
        timeIterations(r, device, warmup, iterations, [&](int) { logits = net->forward(x); }, progress, tracePath);
        checkFinite(logits.abs().max().item<double>(), "the forward's logits");
        return r;
    });
}

} // namespace distillery::core

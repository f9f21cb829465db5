// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "commands.h"
#include "jsonout.h"
#include "paramoptions.h"
#include "progress.h"

#include <distillery/bench.h>
#include <distillery/config.h>
#include <distillery/device.h>
#include <distillery/performance.h>
#include <distillery/version.h>

#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>

namespace distillery::cli {
namespace {

    struct BenchOptions
    {
        core::RunConfig values;
        std::string preset = "paper";
        int warmup = 5;
        int iterations = 20;
        bool noTf32 = false;
        bool noCudnnBenchmark = false;
        bool channelsLast = false;
        bool noFused = false;
        bool noCudaGraphs = false;
        bool bf16 = false;
        std::string tracePath;
        int forwardImages = 0;
        bool testSplit = false;
        bool json = false;
        std::unique_ptr<ParamOptions> params;
    };

    nlohmann::json timings(const core::BenchResult& r)
    {
        return {{"median_ms", r.medianMs}, {"mean_ms", r.meanMs}, {"min_ms", r.minMs},
            {"iterations_per_second", r.iterationsPerSecond}, {"peak_memory_bytes", r.peakMemoryBytes},
            {"fused_kernels", r.fusedKernels}, {"bf16", r.bf16}, {"step_ms", r.stepMs}, {"notes", r.notes}};
    }

    std::string describe(const core::BenchResult& r)
    {
        char line[320];
        if (r.method == "forward")
            std::snprintf(line, sizeof line,
                "forward of %d images on %s%s%s: median %.3f ms (mean %.3f, min %.3f), peak device memory %.1f MiB",
                r.images, r.device.c_str(), r.fusedKernels ? ", fused kernels" : "", r.bf16 ? ", bf16" : "", r.medianMs, r.meanMs, r.minMs,
                static_cast<double>(r.peakMemoryBytes) / (1024.0 * 1024.0));
        else
            std::snprintf(line, sizeof line,
                "%s, IPC %d, %s preset on %s%s%s: median %.2f ms per iteration (mean %.2f, min %.2f), %.2f iterations/s, "
                "peak device memory %.1f MiB",
                r.method.c_str(), r.ipc, r.preset.c_str(), r.device.c_str(), r.fusedKernels ? ", fused kernels" : "",
                r.bf16 ? ", bf16" : "",
                r.medianMs, r.meanMs, r.minMs, r.iterationsPerSecond,
                static_cast<double>(r.peakMemoryBytes) / (1024.0 * 1024.0));
        std::string text = line;
        for (const auto& note : r.notes)
            text += "\n  " + note;
        return text;
    }

    void runBench(const BenchOptions& o, const CLI::App& cmd)
    {
        core::RunConfig config;
        core::applyPreset(config, o.preset);
        auto given = [&](const char* name) { return cmd.count(name) > 0; };
        const auto& v = o.values;
        config.method = v.method;
        config.ipc = v.ipc;
        config.device = v.device;
        config.seed = v.seed;
        config.threads = v.threads;
        if (given("--dataset"))
            config.data.source = v.data.source;
        if (given("--width"))
            config.model.width = v.model.width;
        o.params->apply(config, false);
        config.performance.tf32 = !o.noTf32;
        config.performance.cudnnBenchmark = !o.noCudnnBenchmark;
        config.performance.channelsLast = o.channelsLast;
        config.performance.fusedKernels = !o.noFused;
        config.performance.cudaGraphs = !o.noCudaGraphs;
        config.performance.bf16 = o.bf16;
        if (given("--cpu-piece-mib"))
            config.performance.cpuPieceMiB = v.performance.cpuPieceMiB;
        config.outDir.clear();

        // Where the fused kernels run, the same benchmark follows with them switched off, for the ratio.
        const bool compare = !o.noFused && core::fusedKernelsAvailable(core::resolveDevice(config.device));
        auto once = [&](const core::RunConfig& c) {
            Progress progress(o.forwardImages > 0 ? std::string("bench forward") : "bench " + c.method);
            auto report = [&](int done, int total) {
                if (!o.json)
                    progress.update(done, total);
            };
            const core::BenchResult r = o.forwardImages > 0
                ? core::benchmarkForward(c, o.forwardImages, o.testSplit, o.warmup, o.iterations, report, o.tracePath)
                : core::benchmarkMethod(c, o.warmup, o.iterations, report, o.tracePath);
            progress.finish();
            return r;
        };
        const core::BenchResult r = once(config);
        std::optional<core::BenchResult> stock;
        if (compare) {
            core::RunConfig stockConfig = config;
            stockConfig.performance.fusedKernels = false;
            stock = once(stockConfig);
        }
        if (o.json) {
            nlohmann::json out{{"method", r.method}, {"device", r.device}, {"preset", r.preset}, {"ipc", r.ipc},
                {"warmup", r.warmup}, {"iterations", r.stepMs.size()}, {"setup_seconds", r.setupSeconds},
                {"libtorch", core::torchVersion()}, {"config", nlohmann::json::parse(r.configJson)}};
            if (r.method == "forward") {
                out["images"] = r.images;
                out["split"] = o.testSplit ? "test" : "train";
            }
            out.update(timings(r));
            if (stock)
                out["without_fused_kernels"] = timings(*stock);
            printJson(out);
            return;
        }
        std::cout << describe(r) << std::endl;
        if (stock) {
            std::cout << describe(*stock) << std::endl;
            char ratio[96];
            std::snprintf(ratio, sizeof ratio, "fused kernels: %.2f× the stock path's speed", stock->medianMs / r.medianMs);
            std::cout << ratio << std::endl;
        }
    }

} // namespace

void addBenchCommand(CLI::App& app)
{
    auto o = std::make_shared<BenchOptions>();
    CLI::App* cmd = app.add_subcommand("bench", "Time a method's iterations: median ms, iterations/s, peak device memory");
    auto& v = o->values;
    cmd->add_option("--method", v.method, "Method name")->default_str("random");
    cmd->add_option("--ipc", v.ipc, "Images per class")->default_str("10")->check(CLI::PositiveNumber);
    cmd->add_option("--preset", o->preset, "paper (default) or classroom")
        ->check(CLI::IsMember({"classroom", "paper"}))
        ->default_str("paper");
    cmd->add_option("--iterations", o->iterations, "Timed iterations")->default_str("20")->check(CLI::PositiveNumber);
    cmd->add_option("--warmup", o->warmup, "Untimed iterations first")->default_str("5")->check(CLI::NonNegativeNumber);
    cmd->add_option("--device", v.device, "auto, cpu, cuda or cuda:N")->default_str("auto");
    cmd->add_option("--dataset", v.data.source, "Data set (default fashion-mnist)");
    cmd->add_option("--seed", v.seed, "Seed")->default_str("0");
    cmd->add_option("--threads", v.threads, "CPU threads (0 = every core)");
    cmd->add_option("--width", v.model.width, "ConvNet width")->check(CLI::PositiveNumber);
    o->params = std::make_unique<ParamOptions>(cmd);
    cmd->add_flag("--no-tf32", o->noTf32, "CUDA: full fp32 convolutions and matrix products");
    cmd->add_flag("--no-cudnn-benchmark", o->noCudnnBenchmark, "CUDA: no cuDNN autotuning");
    cmd->add_flag("--channels-last", o->channelsLast, "CUDA: NHWC layout");
    cmd->add_flag("--no-fused", o->noFused,
        "Stock kernels only (by default, where Distillery's fused ConvNet kernels run, CUDA or CPU, both are timed)");
    cmd->add_flag("--no-cuda-graphs", o->noCudaGraphs, "CUDA: DC/DSA's inner loop without CUDA graphs");
    cmd->add_flag("--bf16", o->bf16, "bfloat16 autocast for the real-image passes (with --forward: the forward)");
    cmd->add_option("--cpu-piece-mib", v.performance.cpuPieceMiB,
           "CPU: real-image passes in pieces whose largest activation fits this many MiB (0 = one batch)")
        ->default_str("32")
        ->check(CLI::Range(0, 1024 * 1024));
    cmd->add_option("--forward", o->forwardImages,
           "Time the no-grad forward of this many images through the model instead of a method's iteration")
        ->check(CLI::PositiveNumber);
    cmd->add_flag("--test-split", o->testSplit, "With --forward: images from the test split");
    cmd->add_option("--trace", o->tracePath,
        "Write LibTorch's op-by-op profile of the timed iterations to this Chrome-trace JSON file (slows them down)");
    cmd->add_flag("--json", o->json, "Print one JSON object on stdout");
    cmd->callback([o, cmd] { runBench(*o, *cmd); });
}

} // namespace distillery::cli

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "commands.h"
#include "jsonout.h"
#include "progress.h"

#include <distillery/bench.h>
#include <distillery/config.h>
#include <distillery/version.h>

#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

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
        bool json = false;
    };

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
        if (given("--real-batch"))
            config.params.realBatch = v.params.realBatch;
        if (given("--outer"))
            config.params.outerLoops = v.params.outerLoops;
        if (given("--inner"))
            config.params.innerLoops = v.params.innerLoops;
        config.performance.tf32 = !o.noTf32;
        config.performance.cudnnBenchmark = !o.noCudnnBenchmark;
        config.performance.channelsLast = o.channelsLast;
        config.outDir.clear();

        Progress progress("bench " + config.method);
        const core::BenchResult r = core::benchmarkMethod(config, o.warmup, o.iterations, [&](int done, int total) {
            if (!o.json)
                progress.update(done, total);
        });
        progress.finish();
        if (o.json) {
            printJson({{"method", r.method}, {"device", r.device}, {"preset", r.preset}, {"ipc", r.ipc},
                {"warmup", r.warmup}, {"iterations", r.stepMs.size()}, {"median_ms", r.medianMs}, {"mean_ms", r.meanMs},
                {"min_ms", r.minMs}, {"iterations_per_second", r.iterationsPerSecond},
                {"peak_memory_bytes", r.peakMemoryBytes}, {"setup_seconds", r.setupSeconds}, {"step_ms", r.stepMs},
                {"libtorch", core::torchVersion()}, {"config", nlohmann::json::parse(r.configJson)}});
            return;
        }
        char line[256];
        std::snprintf(line, sizeof line,
            "%s, IPC %d, %s preset on %s: median %.2f ms per iteration (mean %.2f, min %.2f), %.2f iterations/s, "
            "peak device memory %.1f MiB",
            r.method.c_str(), r.ipc, r.preset.c_str(), r.device.c_str(), r.medianMs, r.meanMs, r.minMs,
            r.iterationsPerSecond, static_cast<double>(r.peakMemoryBytes) / (1024.0 * 1024.0));
        std::cout << line << std::endl;
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
    cmd->add_option("--real-batch", v.params.realBatch, "Real images per class per step")->check(CLI::PositiveNumber);
    cmd->add_option("--outer", v.params.outerLoops, "DC/DSA outer loops")->check(CLI::PositiveNumber);
    cmd->add_option("--inner", v.params.innerLoops, "DC/DSA inner epochs")->check(CLI::PositiveNumber);
    cmd->add_flag("--no-tf32", o->noTf32, "CUDA: full fp32 convolutions and matrix products");
    cmd->add_flag("--no-cudnn-benchmark", o->noCudnnBenchmark, "CUDA: no cuDNN autotuning");
    cmd->add_flag("--channels-last", o->channelsLast, "CUDA: NHWC layout");
    cmd->add_flag("--json", o->json, "Print one JSON object on stdout");
    cmd->callback([o, cmd] { runBench(*o, *cmd); });
}

} // namespace distillery::cli

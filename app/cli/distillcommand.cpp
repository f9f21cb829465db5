// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "commands.h"
#include "jsonout.h"
#include "progress.h"
#include "runoptions.h"
#include "stopsignal.h"

#include <distillery/config.h>
#include <distillery/error.h>
#include <distillery/runcontrol.h>
#include <distillery/session.h>

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

namespace distillery::cli {
namespace {

    struct DistillOptions
    {
        RunOptions run;
        double timeLimitMinutes = 0;
        bool json = false;
        bool quiet = false;
    };

    void runDistill(const DistillOptions& o, const CLI::App& cmd)
    {
        const core::RunConfig config = buildRunConfig(o.run, cmd);
        const auto sessionPtr = o.run.resumeDir.empty() ? std::make_unique<core::Session>(config)
                                                    : std::make_unique<core::Session>(config, o.run.resumeDir);
        core::Session& session = *sessionPtr;
        core::RunControl control;
        StopOnSignal stopOnSignal(control);
        const auto started = std::chrono::steady_clock::now();
        bool outOfTime = false;

        Progress progress("distill");
        Progress evalProgress("evaluate");
        bool evaluating = false;
        core::SessionCallbacks callbacks;
        callbacks.onMessage = [&](const std::string& line) {
            if (!o.quiet) {
                progress.finish();
                std::cerr << line << std::endl;
            }
        };
        callbacks.onStep = [&](const core::StepStats& s) {
            if (o.timeLimitMinutes > 0 && !outOfTime
                && std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()
                    >= o.timeLimitMinutes * 60.0) {
                outOfTime = true; // a clean stop after this step: the checkpoint is written, --resume continues
                control.requestStop();
            }
            if (o.quiet)
                return;
            char loss[64];
            std::snprintf(loss, sizeof loss, "loss %.5g", s.loss);
            progress.update(s.iteration, s.totalIterations, loss);
        };
        callbacks.onEvalProgress = [&](const core::EvalProgress& p) {
            if (o.quiet)
                return;
            if (!evaluating) {
                progress.finish();
                evalProgress = Progress("evaluate");
                evaluating = true;
            }
            evalProgress.update(static_cast<long>(p.model) * p.epochs + p.epoch, static_cast<long>(p.models) * p.epochs,
                "model " + std::to_string(p.model + 1) + "/" + std::to_string(p.models));
        };
        std::unique_ptr<Progress> stageProgress;
        std::string stageName;
        callbacks.onStageProgress = [&](const core::StageProgress& p) {
            if (o.quiet)
                return;
            if (!stageProgress || p.stage != stageName) {
                progress.finish();
                stageName = p.stage;
                stageProgress = std::make_unique<Progress>(p.stage);
                stageProgress->startAt(p.done); // its first report: the rate counts the work after it (kept work too)
            }
            stageProgress->update(p.done, p.total, p.unit);
            if (p.done >= p.total)
                stageProgress->finish();
        };
        callbacks.onEvaluated = [&](const core::EvalResult& r) {
            evalProgress.finish();
            evaluating = false;
            if (!o.quiet)
                std::cerr << "accuracy at iteration " << r.iteration
                          << (r.subject == "synthetic" ? std::string() : " (" + r.subject + ")") << ": " << r.summary()
                          << std::endl;
        };

        try {
            session.prepare(callbacks, &control);
        } catch (const core::Cancelled&) {
            if (stageProgress)
                stageProgress->finish();
            std::cerr << "stopped while preparing the run; started again, it reuses what the preparation kept (finished "
                         "experts and scores, and the progress of the one in training)" << std::endl;
            throw CLI::RuntimeError(stopOnSignal.interrupted() ? 130 : 1);
        }
        if (stageProgress)
            stageProgress->finish();
        progress.startAt(session.startIteration()); // a resumed run's rate counts only this session's steps
        const core::RunResult result = session.run(control, callbacks);
        progress.finish();

        if (o.json) {
            nlohmann::json out = {{"run_dir", result.runDir}, {"device", result.device},
                {"iterations", result.iterations}, {"start_iteration", session.startIteration()},
                {"stopped", result.stopped}, {"time_limit_reached", outOfTime},
                {"config", nlohmann::json::parse(core::toJson(session.config()))}};
            out["evaluations"] = nlohmann::json::array();
            for (const auto& e : result.evaluations)
                out["evaluations"].push_back(toJson(e));
            printJson(out);
        } else {
            if (result.stopped) {
                std::cout << (outOfTime ? "time limit reached: stopped after " : "stopped after ") << result.iterations
                          << " of " << session.config().iterations << " iterations; the last set and checkpoint are saved"
                          << std::endl;
                if (!result.runDir.empty())
                    std::cout << "continue with: distillery-cli distill --resume " << result.runDir << std::endl;
            }
            if (!result.evaluations.empty()) {
                const core::EvalResult& last = result.evaluations.back();
                if (result.stopped) // a monitoring evaluation, not the final one
                    std::cout << "last accuracy (iteration " << last.iteration << "): " << last.summary() << std::endl;
                else
                    std::cout << "final accuracy: " << last.summary() << std::endl;
            }
            std::cout << (result.runDir.empty() ? std::string("(no run folder: --out was empty)") : result.runDir)
                      << std::endl;
        }
        if (stopOnSignal.interrupted())
            throw CLI::RuntimeError(130);
    }

} // namespace

void addDistillCommand(CLI::App& app)
{
    auto o = std::make_shared<DistillOptions>();
    CLI::App* cmd = app.add_subcommand("distill", "Distil (or select) a synthetic training set and save a run folder");
    addRunOptions(cmd, o->run);
    cmd->add_option("--resume", o->run.resumeDir,
           "Continue this run folder from its checkpoint (same config and seed; --iterations may raise the count)")
        ->check(CLI::ExistingDirectory);
    cmd->add_option("--time-limit", o->timeLimitMinutes,
           "Stop distilling cleanly after this many minutes (checkpoint kept; continue with --resume)")
        ->check(CLI::PositiveNumber);
    cmd->add_flag("--json", o->json, "Print one JSON object with the result on stdout");
    cmd->add_flag("--quiet", o->quiet, "No progress output");
    cmd->callback([o, cmd] { runDistill(*o, *cmd); });
}

} // namespace distillery::cli

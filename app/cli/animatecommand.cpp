// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "commands.h"
#include "progress.h"
#include "stopsignal.h"

#include <distillery/animation.h>
#include <distillery/error.h>
#include <distillery/runcontrol.h>

#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

namespace distillery::cli {
namespace {

    struct AnimateOptions
    {
        std::string runDir;
        std::string out;
        core::FormationOptions formation;
        bool quiet = false;
    };

    void runAnimate(const AnimateOptions& o)
    {
        core::RunControl control;
        StopOnSignal stopOnSignal(control);
        Progress progress("frames");
        const core::FormationProgressFn onProgress = [&](int done, int total) {
            if (!o.quiet)
                progress.update(done, total);
        };
        int frames = 0;
        try {
            frames = core::exportFormation(o.runDir, o.out, o.formation, onProgress, &control);
        } catch (const core::Cancelled&) {
            progress.finish();
            throw core::Error("stopped: " + o.out + " was not written");
        }
        progress.finish();
        if (!o.quiet)
            std::cout << o.out << ": " << frames << " frames of " << o.runDir << std::endl;
    }

} // namespace

void addAnimateCommand(CLI::App& app)
{
    auto o = std::make_shared<AnimateOptions>();
    CLI::App* cmd = app.add_subcommand("animate",
        "Draw how a run's set formed, from its timeline: an animated GIF (looping) or a PNG strip");
    cmd->add_option("run", o->runDir, "A run folder (with its timeline/ frames)")->required();
    cmd->add_option("--out,-o", o->out, "formation.gif (animation) or formation.png (strip)")->required();
    cmd->add_option("--scale", o->formation.scale,
           "Screen pixels per image pixel (default: the largest up to 8 that fits 1280x720 per frame)")
        ->check(CLI::Range(1, 64));
    cmd->add_option("--fps", o->formation.framesPerSecond, "Animation frames per second")
        ->check(CLI::Range(1.0, 50.0))
        ->default_str("10");
    cmd->add_option("--hold", o->formation.holdLastSeconds, "Seconds the last frame stays before the loop restarts")
        ->check(CLI::Range(0.0, 600.0))
        ->default_str("2");
    cmd->add_option("--max-frames", o->formation.maxFrames,
           "At most this many animation frames, evenly spaced from the first to the last (0 = every frame)")
        ->check(CLI::Range(0, 100000))
        ->default_str("100");
    cmd->add_option("--strip-frames", o->formation.stripFrames, "Frames in a PNG strip, evenly spaced")
        ->check(CLI::Range(1, 100))
        ->default_str("8");
    cmd->add_flag("--quiet", o->quiet, "No progress output");
    cmd->callback([o] { runAnimate(*o); });
}

} // namespace distillery::cli

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// The formation of a synthetic set as a picture: an animated GIF or a PNG strip of a run's timeline (timeline.h).
#pragma once

#include <distillery/snapshot.h>

#include <functional>
#include <string>

namespace distillery::core {

class RunControl;

struct FormationOptions
{
    int scale = 0; ///< screen pixels per image pixel; 0 = the largest (up to 8) that keeps a frame within 1280×720
    double framesPerSecond = 10; ///< animation speed, 1 to 50
    double holdLastSeconds = 2; ///< the finished set stays this long before the animation starts over
    int maxFrames = 100; ///< an animation shows at most this many frames, evenly spaced (0 = every frame)
    int stripFrames = 8; ///< a PNG strip shows this many frames, evenly spaced from the first to the last
};

/// Called after each frame is drawn: `done` of `total`.
using FormationProgressFn = std::function<void(int done, int total)>;

/// Draws the run folder's timeline into `path`, by its extension: `.gif` an animation that loops (maxFrames frames),
/// `.png` a strip of stripFrames frames side by side (the class names once, on the left). Each frame is the grid of the window (one row
/// per class, named) with the iteration under it. Returns the number of frames drawn. Written whole or not at all.
/// Throws Error naming the folder (no timeline) or the file, Cancelled when `control` asks to stop (nothing written).
int exportFormation(const std::string& runDir, const std::string& path, const FormationOptions& options = {},
    const FormationProgressFn& progress = {}, const RunControl* control = nullptr);

/// The width and height in pixels of one drawn frame of `frame` at `scale`.
struct FrameSize
{
    int width = 0;
    int height = 0;
};
FrameSize formationFrameSize(const Snapshot& frame, int scale);

/// Whether this build can write animated GIFs (OpenCV and giflib) and PNG strips (OpenCV).
bool hasGifSupport();

} // namespace distillery::core

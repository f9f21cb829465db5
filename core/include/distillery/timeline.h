// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// The run's timeline: how the synthetic set formed, kept as display frames in the run folder (docs/formats.md §11.5).
#pragma once

#include <distillery/snapshot.h>

#include <cstddef>
#include <string>
#include <vector>

namespace distillery::core {

/// A run keeps at most this many frames (plus its first and last), and at most kTimelineBudgetBytes of pixels.
constexpr int kTimelineMaxFrames = 200;
constexpr std::size_t kTimelineBudgetBytes = std::size_t{256} << 20;

/// Iterations between two frames of a run of `iterations` whose frames hold `frameBytes` pixels each: a multiple
/// of `snapshotEvery` (frames are taken from the snapshots), large enough for both limits above.
int timelineInterval(int iterations, int snapshotEvery, std::size_t frameBytes);

/// `runDir`/timeline/<iteration, 6 digits>.safetensors.
std::string timelineFramePath(const std::string& runDir, int iteration);

/// Writes one frame (8-bit pixels, labels, learned labels and rates, class names) whole or not at all. Throws
/// Error naming the file.
void writeTimelineFrame(const std::string& runDir, const Snapshot& frame);

/// The iterations a run folder holds frames of, ascending; empty when it has none (an older run, or no folder).
/// Names that are not frames are ignored.
std::vector<int> timelineIterations(const std::string& runDir);

/// One frame as the run's snapshot of that iteration was. Throws Error naming the file when it is missing,
/// damaged or not a frame.
Snapshot readTimelineFrame(const std::string& path);
Snapshot loadTimelineFrame(const std::string& runDir, int iteration);

/// Removes the frames after `iteration` (a resumed run makes them again). Errors are ignored: a frame left
/// behind is overwritten by the same frame.
void removeTimelineFramesAfter(const std::string& runDir, int iteration);

} // namespace distillery::core

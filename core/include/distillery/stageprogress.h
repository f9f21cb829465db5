// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <string>

namespace distillery::core {

/// Progress of a long stage before a run's first iteration (herding's feature network today, expert trajectories
/// next): `done` of `total` units. Whoever shows it computes the rate and the ETA.
struct StageProgress
{
    std::string stage; ///< e.g. "training the feature network"
    std::string unit; ///< e.g. "epochs"
    long done = 0;
    long total = 0;
};
using StageProgressFn = std::function<void(const StageProgress&)>;

} // namespace distillery::core

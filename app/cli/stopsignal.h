// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/runcontrol.h>

#include <atomic>
#include <thread>

namespace distillery::cli {

/// While alive, Ctrl-C (SIGINT) and SIGTERM stop the run cleanly instead of killing the process, so the
/// checkpoint and the last good set are written. A second Ctrl-C exits at once.
class StopOnSignal final
{
public:
    explicit StopOnSignal(core::RunControl& control);
    ~StopOnSignal();
    StopOnSignal(const StopOnSignal&) = delete;
    StopOnSignal& operator=(const StopOnSignal&) = delete;

    bool interrupted() const;

private:
    core::RunControl& m_control;
    std::atomic<bool> m_done{false};
    std::thread m_watcher; // a signal handler may not lock a mutex; this thread forwards the flag
};

} // namespace distillery::cli

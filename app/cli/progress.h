// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <chrono>
#include <string>

namespace distillery::cli {

/// Progress on stderr: a redrawn bar with rate and ETA on a terminal; plain lines (every 10 % or 15 s) when
/// stderr is a file or pipe, so logs stay readable.
class Progress final
{
public:
    explicit Progress(std::string label);

    /// `extra` is shown after the ETA, e.g. "loss 0.123".
    void update(long done, long total, const std::string& extra = {});
    /// Ends the bar's line (terminal) so later output starts on a fresh line.
    void finish();
    /// Counting restarts now from `done` (a resumed run): the rate and ETA cover only the work from here.
    void startAt(long done);

    static std::string formatDuration(double seconds);

private:
    using Clock = std::chrono::steady_clock;
    std::string m_label;
    bool m_terminal = false;
    bool m_drawn = false;
    Clock::time_point m_start;
    Clock::time_point m_lastPrint;
    long m_lastDone = 0;
    long m_startDone = 0;
    int m_lastDecile = -1;
    std::size_t m_lastWidth = 0;
};

} // namespace distillery::cli

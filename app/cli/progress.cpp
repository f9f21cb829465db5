// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "progress.h"

#include <cstdio>
#include <iostream>
#include <unistd.h>

namespace distillery::cli {
namespace {

    constexpr int kBarWidth = 24;
    constexpr double kTerminalRedrawSeconds = 0.1;
    constexpr double kLogLineSeconds = 15.0;

} // namespace

Progress::Progress(std::string label)
    : m_label(std::move(label))
    , m_terminal(isatty(STDERR_FILENO) != 0)
    , m_start(Clock::now())
    , m_lastPrint(Clock::time_point{})
{
}

void Progress::startAt(long done)
{
    m_startDone = done;
    m_start = Clock::now();
}

std::string Progress::formatDuration(double seconds)
{
    if (!(seconds >= 0) || seconds > 1e7)
        return "--:--";
    const long s = static_cast<long>(seconds + 0.5);
    char text[32];
    if (s >= 3600)
        std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
    else
        std::snprintf(text, sizeof text, "%ld:%02ld", s / 60, s % 60);
    return text;
}

void Progress::update(long done, long total, const std::string& extra)
{
    const auto now = Clock::now();
    const double elapsed = std::chrono::duration<double>(now - m_start).count();
    const double sinceLast = std::chrono::duration<double>(now - m_lastPrint).count();
    const bool last = done >= total;
    const int decile = total > 0 ? static_cast<int>(10 * done / total) : 0;
    if (m_terminal ? (!last && sinceLast < kTerminalRedrawSeconds)
                   : (!last && decile == m_lastDecile && sinceLast < kLogLineSeconds))
        return;
    if (!m_terminal && last && done == m_lastDone && m_lastDecile >= 0)
        return; // the final line was printed already
    m_lastPrint = now;
    m_lastDone = done;
    m_lastDecile = decile;

    // Nothing to go by until work beyond the starting point is done (a stage reports its first batch as it starts).
    const double rate = elapsed > 0 && done > m_startDone ? static_cast<double>(done - m_startDone) / elapsed : 0.0;
    const double eta = rate > 0 ? static_cast<double>(total - done) / rate : -1.0;
    char rateText[32] = "--";
    if (rate > 0)
        std::snprintf(rateText, sizeof rateText, "%.2f", rate);
    char numbers[160];
    std::snprintf(numbers, sizeof numbers, "%ld/%ld  %s it/s  elapsed %s  ETA %s", done, total, rateText,
        formatDuration(elapsed).c_str(), last ? "0:00" : formatDuration(eta).c_str());
    std::string line = m_label + " ";
    if (m_terminal) {
        const int filled = total > 0 ? static_cast<int>(kBarWidth * done / total) : 0;
        line += "[" + std::string(filled, '#') + std::string(kBarWidth - filled, '.') + "] ";
    }
    line += numbers;
    if (!extra.empty())
        line += "  " + extra;
    if (m_terminal) {
        const std::size_t width = line.size();
        if (width < m_lastWidth)
            line += std::string(m_lastWidth - width, ' '); // wipe the rest of a longer previous line
        m_lastWidth = width;
        std::cerr << '\r' << line << std::flush;
        m_drawn = true;
    } else {
        std::cerr << line << std::endl;
    }
}

void Progress::finish()
{
    if (m_terminal && m_drawn)
        std::cerr << std::endl;
    m_drawn = false;
}

} // namespace distillery::cli

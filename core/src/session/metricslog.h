// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

namespace distillery::core {

/// Appends lines to a run's metrics.jsonl, each line in one write() to a file opened for appending. Two writers
/// (the run, and the window recording an evaluation it made beside the run) then never split each other's lines,
/// and a crash loses at most the line being written. Nothing is buffered, so there is nothing to flush.
class MetricsLog final
{
public:
    MetricsLog() = default;
    /// Opens (creating, or emptying with `truncate`) the file; Error naming it when that fails.
    MetricsLog(const std::string& path, bool truncate);
    MetricsLog(MetricsLog&& other) noexcept;
    MetricsLog& operator=(MetricsLog&& other) noexcept;
    MetricsLog(const MetricsLog&) = delete;
    MetricsLog& operator=(const MetricsLog&) = delete;
    ~MetricsLog();

    /// Writes `line` and a newline; Error naming the file when the disk refuses it.
    void append(const std::string& line);

private:
    void close() noexcept;

    std::string m_path;
    int m_fd = -1;
};

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/metricslog.h"

#include <distillery/error.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <unistd.h>

namespace distillery::core {

MetricsLog::MetricsLog(const std::string& path, bool truncate)
    : m_path(path)
{
    m_fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (truncate ? O_TRUNC : 0), 0644);
    if (m_fd < 0)
        throw Error(path + ": cannot open for appending (" + std::strerror(errno) + ")");
}

MetricsLog::MetricsLog(MetricsLog&& other) noexcept
    : m_path(std::move(other.m_path))
    , m_fd(std::exchange(other.m_fd, -1))
{
}

MetricsLog& MetricsLog::operator=(MetricsLog&& other) noexcept
{
    if (this != &other) {
        close();
        m_path = std::move(other.m_path);
        m_fd = std::exchange(other.m_fd, -1);
    }
    return *this;
}

MetricsLog::~MetricsLog()
{
    close();
}

void MetricsLog::close() noexcept
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
}

void MetricsLog::append(const std::string& line)
{
    if (m_fd < 0)
        throw Error(m_path + ": not open for appending");
    const std::string text = line + '\n';
    // One write: with O_APPEND the kernel places it at the end whole, whoever else appends.
    ssize_t written;
    do
        written = ::write(m_fd, text.data(), text.size());
    while (written < 0 && errno == EINTR);
    if (written != static_cast<ssize_t>(text.size()))
        throw Error(m_path + ": cannot append a line (" + (written < 0 ? std::strerror(errno) : "disk full?") + ")");
}

} // namespace distillery::core

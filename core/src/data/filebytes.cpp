// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/filebytes.h"

#include <distillery/error.h>

#include <zlib.h>

#include <filesystem>

namespace distillery::core {

std::vector<std::uint8_t> readFileBytes(const std::string& path)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw Error(path + ": file not found");
    // gzopen/gzread read gzip and pass plain files through unchanged (docs/formats.md §1).
    gzFile file = gzopen(path.c_str(), "rb");
    if (!file)
        throw Error(path + ": cannot open for reading");
    gzbuffer(file, 1 << 20);
    std::vector<std::uint8_t> bytes;
    std::vector<std::uint8_t> chunk(1 << 20);
    for (;;) {
        const int n = gzread(file, chunk.data(), static_cast<unsigned>(chunk.size()));
        if (n < 0) {
            int code = 0;
            const std::string message = gzerror(file, &code);
            gzclose(file);
            throw Error(path + ": corrupt compressed data (" + message + ")");
        }
        if (n == 0)
            break;
        bytes.insert(bytes.end(), chunk.begin(), chunk.begin() + n);
    }
    int code = 0;
    const std::string message = gzerror(file, &code);
    // A gzip stream cut short reads to its end without error from gzread, but leaves Z_BUF_ERROR behind.
    const bool truncated = code == Z_BUF_ERROR;
    const int closed = gzclose(file);
    if (truncated || closed == Z_BUF_ERROR)
        throw Error(path + ": truncated compressed file (unexpected end of the gzip stream)");
    if (code != Z_OK && code != Z_STREAM_END)
        throw Error(path + ": corrupt compressed data (" + message + ")");
    return bytes;
}

std::string findFirstExisting(const std::string& dir, const std::vector<std::string>& candidates)
{
    for (const auto& name : candidates) {
        const auto path = std::filesystem::path(dir) / name;
        std::error_code ec;
        if (std::filesystem::is_regular_file(path, ec))
            return path.string();
    }
    return {};
}

std::uint32_t readBigEndian32(const std::uint8_t* p)
{
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | std::uint32_t(p[3]);
}

} // namespace distillery::core

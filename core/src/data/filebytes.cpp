// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/filebytes.h"

#include <distillery/error.h>

#include <zlib.h>

#include <algorithm>
#include <filesystem>

namespace distillery::core {

std::vector<std::uint8_t> readFileBytes(const std::string& path)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw Error(path + ": file not found");
    const std::uintmax_t onDisk = std::filesystem::file_size(path, ec);
    // gzopen/gzread read gzip and pass plain files through unchanged (docs/formats.md §1).
    gzFile file = gzopen(path.c_str(), "rb");
    if (!file)
        throw Error(path + ": cannot open for reading");
    // zlib's own large buffers (1 MiB in, 2 MiB out) pay for themselves only on files larger than they are: for a
    // small one they are most of the work (a fuzz run of small inputs spent its time mapping them).
    constexpr unsigned kZlibBuffer = 1 << 20;
    if (!ec && onDisk > kZlibBuffer)
        gzbuffer(file, kZlibBuffer);
    // Read straight into the result: a plain file fills exactly its size on disk (the one spare byte lets the read
    // that finds the end return 0 without growing), a gzip file grows by doubling.
    std::vector<std::uint8_t> bytes(std::max<std::uintmax_t>(ec ? 0 : onDisk, 4095) + 1);
    std::size_t used = 0;
    for (;;) {
        if (used == bytes.size())
            bytes.resize(bytes.size() * 2);
        const auto want = static_cast<unsigned>(std::min<std::size_t>(bytes.size() - used, 1u << 30));
        const int n = gzread(file, bytes.data() + used, want);
        if (n < 0) {
            int code = 0;
            const std::string message = gzerror(file, &code);
            gzclose(file);
            throw Error(path + ": corrupt compressed data (" + message + ")");
        }
        if (n == 0)
            break;
        used += static_cast<std::size_t>(n);
    }
    bytes.resize(used);
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

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "formats/atomicfile.h"

#include <distillery/error.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace distillery::core {
namespace {

    /// fsync() of a file or folder by name; the reason on failure ("" when it worked).
    std::string syncToDisk(const std::string& path, bool folder)
    {
        const int fd = ::open(path.c_str(), folder ? O_RDONLY | O_DIRECTORY : O_RDONLY);
        if (fd < 0)
            return std::strerror(errno);
        // A folder on a file system that cannot sync folders (EINVAL) has nothing more to make durable.
        const bool synced = ::fsync(fd) == 0 || (folder && errno == EINVAL);
        const std::string reason = synced ? std::string() : std::strerror(errno);
        ::close(fd);
        return reason;
    }

    void removeQuietly(const std::string& path)
    {
        std::error_code ec;
        fs::remove(path, ec);
    }

} // namespace

std::string temporaryPathFor(const std::string& path)
{
    const fs::path p(path);
    return (p.parent_path() / (p.stem().string() + ".partial" + p.extension().string())).string();
}

void writeFileAtomically(const std::string& path, const std::function<void(const std::string& temporaryPath)>& write)
{
    const std::string temporary = temporaryPathFor(path);
    try {
        write(temporary);
    } catch (const Error& e) {
        removeQuietly(temporary);
        // Writers name the file they were given; the user asked for `path`.
        std::string message = e.what();
        for (auto at = message.find(temporary); at != std::string::npos; at = message.find(temporary, at + path.size()))
            message.replace(at, temporary.size(), path);
        throw Error(message.rfind(path, 0) == 0 ? message : path + ": " + message);
    } catch (const std::exception& e) {
        removeQuietly(temporary);
        throw Error(path + ": cannot write (" + e.what() + ")");
    }
    if (const std::string reason = syncToDisk(temporary, false); !reason.empty()) {
        removeQuietly(temporary);
        throw Error(path + ": cannot write (" + reason + ")");
    }
    std::error_code ec;
    fs::rename(temporary, path, ec);
    if (ec) {
        removeQuietly(temporary);
        throw Error(path + ": cannot replace the file (" + ec.message() + ")");
    }
    const fs::path folder = fs::path(path).parent_path();
    syncToDisk(folder.empty() ? std::string(".") : folder.string(), true); // the rename itself; best effort
}

void writeBytesAtomically(const std::string& path, const std::vector<ByteSpan>& pieces)
{
    writeFileAtomically(path, [&](const std::string& temporary) {
        std::FILE* file = std::fopen(temporary.c_str(), "wb");
        if (!file)
            throw Error(path + ": cannot create (" + std::strerror(errno) + ")");
        bool written = true;
        for (const ByteSpan& piece : pieces)
            written = written && std::fwrite(piece.data, 1, piece.size, file) == piece.size;
        const int writeError = errno;
        const bool closed = std::fclose(file) == 0;
        if (!written || !closed)
            throw Error(path + ": cannot write (" + std::strerror(written ? errno : writeError) + ")");
    });
}

void writeTextAtomically(const std::string& path, const std::string& contents)
{
    writeBytesAtomically(path, {{contents.data(), contents.size()}});
}

} // namespace distillery::core

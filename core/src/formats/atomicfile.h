// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// Files written whole or not at all (docs/formats.md §11.1): a crash, a kill or a full disk leaves the old file or
// the new one, never half of one, and no temporary file behind.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace distillery::core {

/// Where writeFileAtomically() writes before the rename: beside `path` (the same file system, so the rename is
/// atomic), with the same extension (writers such as OpenCV choose the encoder by it): grid.png → grid.partial.png.
std::string temporaryPathFor(const std::string& path);

/// Calls `write(temporaryPath)` to fill a temporary file, forces it to disk, renames it over `path` and forces the
/// folder entry to disk. If `write` throws or the file cannot be completed, the temporary file is removed and an
/// Error naming `path` is thrown (with the system's reason, e.g. "No space left on device").
void writeFileAtomically(const std::string& path, const std::function<void(const std::string& temporaryPath)>& write);

/// One piece of a file held in memory.
struct ByteSpan
{
    const void* data;
    std::size_t size;
};

/// writeFileAtomically() for pieces held in memory, written one after another.
void writeBytesAtomically(const std::string& path, const std::vector<ByteSpan>& pieces);

/// writeBytesAtomically() of one text.
void writeTextAtomically(const std::string& path, const std::string& contents);

} // namespace distillery::core

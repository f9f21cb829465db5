// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace distillery::core {

/// Whole file into memory; gzip files (also concatenated members) are inflated, other files passed through.
/// Throws Error naming the file when it is missing, unreadable or a truncated/corrupt gzip stream.
std::vector<std::uint8_t> readFileBytes(const std::string& path);

/// The first of `candidates` (relative to `dir`) that exists, or "" when none does.
std::string findFirstExisting(const std::string& dir, const std::vector<std::string>& candidates);

std::uint32_t readBigEndian32(const std::uint8_t* p);

} // namespace distillery::core

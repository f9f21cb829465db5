// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>

namespace distillery::core {

/// CRC-32 (zlib's, as zip archives and data-set fingerprints use it) continued from `crc`; any size, in pieces that
/// fit zlib's 32-bit lengths.
std::uint32_t crc32Update(std::uint32_t crc, const void* data, std::size_t size);

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "formats/crc32.h"

#include <zlib.h>

#include <algorithm>
#include <limits>

namespace distillery::core {

std::uint32_t crc32Update(std::uint32_t crc, const void* data, std::size_t size)
{
    const auto* bytes = static_cast<const Bytef*>(data);
    while (size > 0) {
        const auto n = static_cast<uInt>(std::min<std::size_t>(size, std::numeric_limits<uInt>::max()));
        crc = static_cast<std::uint32_t>(::crc32(crc, bytes, n));
        bytes += n;
        size -= n;
    }
    return crc;
}

} // namespace distillery::core

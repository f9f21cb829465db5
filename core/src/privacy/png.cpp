// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// A minimal PNG writer (8-bit grey or RGB, one zlib stream), so reports embed images in any build.
#include <distillery/error.h>
#include <distillery/privacy.h>

#include <zlib.h>

namespace distillery::core {
namespace {

    void put32(std::vector<std::uint8_t>& out, std::uint32_t v)
    {
        for (int shift = 24; shift >= 0; shift -= 8)
            out.push_back(static_cast<std::uint8_t>((v >> shift) & 0xFF));
    }

    void chunk(std::vector<std::uint8_t>& out, const char* type, const std::vector<std::uint8_t>& data)
    {
        put32(out, static_cast<std::uint32_t>(data.size()));
        const std::size_t start = out.size();
        out.insert(out.end(), type, type + 4);
        out.insert(out.end(), data.begin(), data.end());
        const auto crc = ::crc32(0, out.data() + start, static_cast<uInt>(out.size() - start));
        put32(out, static_cast<std::uint32_t>(crc));
    }

} // namespace

std::vector<std::uint8_t> encodePng(const ImageBatch8& batch, int index)
{
    if (index < 0 || index >= batch.count || (batch.channels != 1 && batch.channels != 3))
        throw Error("PNG: no image " + std::to_string(index) + " of 1 or 3 channels");
    const int w = batch.width, h = batch.height, c = batch.channels;
    const std::uint8_t* src = batch.data.data() + static_cast<std::size_t>(index) * batch.imageSize();
    const std::size_t plane = static_cast<std::size_t>(w) * h;
    std::vector<std::uint8_t> raw; // each row: filter byte 0, then interleaved pixels
    raw.reserve((static_cast<std::size_t>(w) * c + 1) * h);
    for (int y = 0; y < h; ++y) {
        raw.push_back(0);
        for (int x = 0; x < w; ++x)
            for (int ch = 0; ch < c; ++ch)
                raw.push_back(src[ch * plane + static_cast<std::size_t>(y) * w + x]);
    }
    uLongf size = compressBound(static_cast<uLong>(raw.size()));
    std::vector<std::uint8_t> compressed(size);
    if (compress2(compressed.data(), &size, raw.data(), static_cast<uLong>(raw.size()), 9) != Z_OK)
        throw Error("PNG: compression failed");
    compressed.resize(size);

    std::vector<std::uint8_t> png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    std::vector<std::uint8_t> header;
    put32(header, static_cast<std::uint32_t>(w));
    put32(header, static_cast<std::uint32_t>(h));
    header.push_back(8); // bit depth
    header.push_back(c == 1 ? 0 : 2); // grey or RGB
    header.push_back(0);
    header.push_back(0);
    header.push_back(0);
    chunk(png, "IHDR", header);
    chunk(png, "IDAT", compressed);
    chunk(png, "IEND", {});
    return png;
}

} // namespace distillery::core

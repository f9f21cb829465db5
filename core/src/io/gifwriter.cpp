// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// Animated GIF through giflib (Debian's libgif): GIF rather than a video, because every slide program, browser and
// chat shows it, it loops by itself, and it is lossless for grey images, so 28×28 pixels stay crisp where a
// video codec's chroma subsampling and blocks would blur them (docs/architecture.md, "Exports").
#include "io/gifwriter.h"

#include <distillery/error.h>

#include <algorithm>
#include <cstring>

#ifdef DISTILLERY_HAVE_GIFLIB
#include <gif_lib.h>
#endif

namespace distillery::core {

#ifdef DISTILLERY_HAVE_GIFLIB

namespace {

    int appendBytes(GifFileType* gif, const GifByteType* data, int length)
    {
        auto* out = static_cast<std::vector<std::uint8_t>*>(gif->UserData);
        out->insert(out->end(), data, data + length);
        return length;
    }

    void check(int status, GifFileType* gif, const char* what)
    {
        if (status != GIF_OK)
            throw Error(std::string("GIF encoder: ") + what + " failed (" + GifErrorString(gif->Error) + ")");
    }

} // namespace

struct GifWriter::Encoder
{
    std::vector<std::uint8_t> bytes;
    GifFileType* gif = nullptr;

    ~Encoder()
    {
        if (gif) {
            int error = 0;
            EGifCloseFile(gif, &error);
        }
    }
};

GifWriter::GifWriter(int width, int height, int channels)
    : m_encoder(std::make_unique<Encoder>())
    , m_width(width)
    , m_height(height)
    , m_channels(channels)
{
    if (width < 1 || height < 1 || width > 65535 || height > 65535)
        throw Error("GIF encoder: a frame of " + std::to_string(width) + "×" + std::to_string(height)
            + " pixels (GIF allows 1 to 65535 on each side)");
    if (channels != 1 && channels != 3)
        throw Error("GIF encoder: frames with " + std::to_string(channels) + " channels (1 or 3)");
    int error = 0;
    m_encoder->gif = EGifOpen(&m_encoder->bytes, appendBytes, &error);
    if (!m_encoder->gif)
        throw Error(std::string("GIF encoder: cannot start (") + GifErrorString(error) + ")");
    GifFileType* gif = m_encoder->gif;
    EGifSetGifVersion(gif, true); // GIF89a: frame delays and looping

    // Grey: one exact palette for all frames. Colour: each frame brings its own.
    ColorMapObject* greys = nullptr;
    if (channels == 1) {
        GifColorType levels[256];
        for (int i = 0; i < 256; ++i)
            levels[i] = {static_cast<GifByteType>(i), static_cast<GifByteType>(i), static_cast<GifByteType>(i)};
        greys = GifMakeMapObject(256, levels);
    }
    const int status = EGifPutScreenDesc(gif, width, height, 8, 0, greys);
    GifFreeMapObject(greys);
    check(status, gif, "screen descriptor");

    // The Netscape extension with a loop count of 0: play forever.
    const GifByteType application[] = {'N', 'E', 'T', 'S', 'C', 'A', 'P', 'E', '2', '.', '0'};
    const GifByteType loopForever[] = {1, 0, 0};
    check(EGifPutExtensionLeader(gif, APPLICATION_EXT_FUNC_CODE), gif, "loop extension");
    check(EGifPutExtensionBlock(gif, sizeof application, application), gif, "loop extension");
    check(EGifPutExtensionBlock(gif, sizeof loopForever, loopForever), gif, "loop extension");
    check(EGifPutExtensionTrailer(gif), gif, "loop extension");
}

GifWriter::~GifWriter() = default;

void GifWriter::addFrame(const std::uint8_t* pixels, int delayCentiseconds)
{
    GifFileType* gif = m_encoder ? m_encoder->gif : nullptr;
    if (!gif)
        throw Error("GIF encoder: frame added after the end");
    GraphicsControlBlock control{};
    control.DisposalMode = DISPOSE_DO_NOT;
    control.UserInputFlag = false;
    control.DelayTime = std::clamp(delayCentiseconds, 2, 65535); // browsers slow down anything under 2
    control.TransparentColor = NO_TRANSPARENT_COLOR;
    GifByteType extension[4];
    const auto length = static_cast<int>(EGifGCBToExtension(&control, extension));
    check(EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, length, extension), gif, "frame delay");

    const std::size_t area = static_cast<std::size_t>(m_width) * static_cast<std::size_t>(m_height);
    std::vector<GifByteType> indices(area);
    ColorMapObject* palette = nullptr;
    if (m_channels == 1) {
        std::memcpy(indices.data(), pixels, area); // the grey value is its own palette index
    } else {
        std::vector<GifByteType> red(area), green(area), blue(area);
        for (std::size_t i = 0; i < area; ++i) {
            red[i] = pixels[3 * i];
            green[i] = pixels[3 * i + 1];
            blue[i] = pixels[3 * i + 2];
        }
        GifColorType colours[256] = {};
        int size = 256;
        if (GifQuantizeBuffer(static_cast<unsigned>(m_width), static_cast<unsigned>(m_height), &size, red.data(),
                green.data(), blue.data(), indices.data(), colours)
            != GIF_OK)
            throw Error("GIF encoder: cannot reduce a frame to 256 colours");
        palette = GifMakeMapObject(256, colours);
    }
    const int status = EGifPutImageDesc(gif, 0, 0, m_width, m_height, false, palette);
    GifFreeMapObject(palette);
    check(status, gif, "frame descriptor");
    for (int row = 0; row < m_height; ++row)
        check(EGifPutLine(gif, indices.data() + static_cast<std::size_t>(row) * m_width, m_width), gif, "frame pixels");
    ++m_frames;
}

std::vector<std::uint8_t> GifWriter::finish()
{
    if (!m_encoder || !m_encoder->gif)
        throw Error("GIF encoder: already finished");
    int error = 0;
    const int status = EGifCloseFile(m_encoder->gif, &error);
    m_encoder->gif = nullptr; // closed (and freed) whatever the status
    if (status != GIF_OK)
        throw Error(std::string("GIF encoder: cannot end the file (") + GifErrorString(error) + ")");
    return std::move(m_encoder->bytes);
}

#else

struct GifWriter::Encoder
{
};

GifWriter::GifWriter(int width, int height, int channels)
    : m_width(width)
    , m_height(height)
    , m_channels(channels)
{
    throw Error("this build of Distillery has no giflib, so animated GIF export is unavailable");
}

GifWriter::~GifWriter() = default;

void GifWriter::addFrame(const std::uint8_t*, int)
{
}

std::vector<std::uint8_t> GifWriter::finish()
{
    return {};
}

#endif

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

namespace distillery::core {

/// An animated GIF that loops, built in memory with giflib: frames of one size, each with its own delay. Grey frames
/// share one exact 256-grey palette; colour frames get a palette of their own (median cut), because GIF holds at most
/// 256 colours per frame. Throws Error when this build has no giflib.
class GifWriter final
{
public:
    /// `channels`: 1 (grey) or 3 (RGB), for every frame.
    GifWriter(int width, int height, int channels);
    ~GifWriter();
    GifWriter(const GifWriter&) = delete;
    GifWriter& operator=(const GifWriter&) = delete;

    /// `pixels`: height rows of width × channels bytes, top row first (RGB order for colour).
    void addFrame(const std::uint8_t* pixels, int delayCentiseconds);
    int frames() const { return m_frames; }
    /// Ends the file and returns its bytes; the writer is done.
    std::vector<std::uint8_t> finish();

private:
    struct Encoder;
    std::unique_ptr<Encoder> m_encoder;
    int m_width;
    int m_height;
    int m_channels;
    int m_frames = 0;
};

} // namespace distillery::core

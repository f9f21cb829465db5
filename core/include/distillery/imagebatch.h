// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <vector>

namespace distillery::core {

/// A batch of images as plain floats, N×C×H×W in C order. What it holds (normalised or [0,1] pixels) is said
/// by whoever hands it out.
struct ImageBatch
{
    int count = 0;
    int channels = 0;
    int height = 0;
    int width = 0;
    std::vector<float> data;

    std::size_t imageSize() const { return static_cast<std::size_t>(channels) * height * width; }
    bool empty() const { return count == 0; }
};

/// The same for display: 8-bit pixels, N×C×H×W, de-normalised and clamped to [0, 255].
struct ImageBatch8
{
    int count = 0;
    int channels = 0;
    int height = 0;
    int width = 0;
    std::vector<std::uint8_t> data;

    std::size_t imageSize() const { return static_cast<std::size_t>(channels) * height * width; }
};

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// Timeline frames (docs/formats.md §11.5): the input is one frame file, read as the window's timeline and the
// formation export read it.
#include "fuzzsupport.h"

#include <distillery/timeline.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto file = fuzz::scratch("timeline") / "000001.safetensors";
    fuzz::writeFile(file, data, size);
    fuzz::refusalIsFine([&] { distillery::core::readTimelineFrame(file.string()); });
    return 0;
}

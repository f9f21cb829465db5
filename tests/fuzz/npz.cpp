// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// Exported synthetic sets as .npz (docs/formats.md §10): the input is one file, loaded as `eval <file>` loads it.
#include "fuzzsupport.h"

#include <distillery/syntheticio.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto file = fuzz::scratch("npz") / "synthetic.npz";
    fuzz::writeFile(file, data, size);
    fuzz::refusalIsFine([&] { distillery::core::loadSyntheticSet(file.string()); });
    return 0;
}

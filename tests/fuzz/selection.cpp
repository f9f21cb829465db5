// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// A run folder's data selection (docs/formats.md §11.6): the input is selection.safetensors, read as the window
// reads it when a run folder is reopened and as the privacy inspector reads it to know the members.
#include "fuzzsupport.h"

#include <distillery/selection.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto run = fuzz::scratch("selection");
    fuzz::writeFile(run / "selection.safetensors", data, size);
    fuzz::refusalIsFine([&] { distillery::core::loadRunSelection(run.string()); });
    return 0;
}

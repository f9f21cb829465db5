// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// One .npy array from bytes (the decoder every .npz entry goes through); what decodes must encode again.
#include "fuzzsupport.h"

#include <distillery/npz.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    fuzz::refusalIsFine([&] {
        const auto array = distillery::core::decodeNpy(std::vector<std::uint8_t>(data, data + size), "fuzz.npy");
        distillery::core::encodeNpy(array);
    });
    return 0;
}

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// config.json text: read (the current format and version 1) and checked as `distill --config` does, then written
// and read again (what reads must survive its own round trip).
#include "fuzzsupport.h"

#include <distillery/config.h>
#include <distillery/request.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    fuzz::refusalIsFine([&] {
        const distillery::core::RunConfig config = distillery::core::runConfigFromJson(text);
        distillery::core::validate(config);
        if (distillery::core::toJson(distillery::core::runConfigFromJson(distillery::core::toJson(config)))
            != distillery::core::toJson(config))
            __builtin_trap(); // a valid config that does not survive its own round trip
    });
    return 0;
}

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// config.json text: read (the current format and version 1) and checked as `distill --config` does. What passes is
// written and read again: that round trip may not fail at all (a config.json a run wrote must always load again),
// so an Error there is a finding too, and it must give the same file.
#include "fuzzsupport.h"

#include <distillery/config.h>
#include <distillery/request.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    distillery::core::RunConfig config;
    bool accepted = false;
    fuzz::refusalIsFine([&] {
        config = distillery::core::runConfigFromJson(text);
        distillery::core::validate(config);
        accepted = true;
    });
    if (!accepted)
        return 0;
    const std::string written = distillery::core::toJson(config);
    if (distillery::core::toJson(distillery::core::runConfigFromJson(written)) != written)
        __builtin_trap(); // a valid config that does not survive its own round trip
    return 0;
}

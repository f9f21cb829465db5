// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// A run folder's metrics.jsonl (the input) beside a valid config.json, read as the window reads a run it reopens.
#include "fuzzsupport.h"

#include <distillery/config.h>
#include <distillery/session.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto dir = fuzz::scratch("metrics");
    static const std::string kConfig = [] {
        distillery::core::RunConfig config;
        config.method = "dm";
        return distillery::core::toJson(config);
    }();
    fuzz::writeFile(dir / "config.json", reinterpret_cast<const std::uint8_t*>(kConfig.data()), kConfig.size());
    fuzz::writeFile(dir / "metrics.jsonl", data, size);
    fuzz::refusalIsFine([&] { distillery::core::loadRunHistory(dir.string()); });
    return 0;
}

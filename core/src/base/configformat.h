// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// What config.json's writer (base/config.cpp) and reader (session/request.cpp) share.
#pragma once

#include <distillery/config.h>

#include <string>
#include <vector>

namespace distillery::core {

/// config.json's layout: 2 added per-method parameters (only the method's own, absent = auto) and data.flips.
inline constexpr int kConfigVersion = 2;

/// Throws Error "<setting>: "<value>" is not one of …".
void requireOneOf(const std::string& setting, const std::string& value, const std::vector<std::string>& allowed);

/// Checks every run-level setting (ranges and names); the method's existence and its parameters are checked by
/// validate() above the registry.
void checkRunSettings(const RunConfig& config);

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// A run's request: read from JSON, checked against the methods' declarations, resolved for a data set.
#pragma once

#include <distillery/config.h>
#include <distillery/datasets.h>

#include <string>

namespace distillery::core {

/// Parses JSON written by toJson (or by hand: missing fields keep their defaults). Throws Error naming
/// the field on a wrong type and on unknown keys, so a typo never silently falls back to a default.
/// Files written before configVersion 2 (a flat "params" object shared by every method, 0 or "" meaning
/// "the default") still load: their zero and empty parameters become "auto", and parameters the method does not
/// declare are dropped (no method ever read another's).
RunConfig runConfigFromJson(const std::string& json);

/// runConfigFromJson of a file; Error naming the file.
RunConfig loadRunConfig(const std::string& path);

/// Checks ranges and names without touching the data, the method's parameters against its declarations; throws
/// Error naming the setting.
void validate(const RunConfig& config);

/// What a run will use for `request` on data described by `data`: the method's parameters left on auto get their
/// declared defaults (for the preset, IPC and the data's augmentation strategy), then the method fills the
/// iteration count and its evaluation protocol. This is what config.json records; the window also shows it beside
/// every "auto" without ever making it the next request. Throws Error naming the first bad setting.
RunConfig resolveConfig(const RunConfig& request, const DatasetInfo& data);

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// Where Distillery's caches live and how their entries are named (expert trajectories, loss scores).
#pragma once

#include <string>

namespace distillery::core {

/// $XDG_DATA_HOME/distillery/<what>, else ~/.local/share/distillery/<what>.
std::string userDataDir(const std::string& what);

/// Creates `folder` (and its parents) if needed; Error "<folder>: cannot create the <what> folder (<reason>)".
void createCacheFolder(const std::string& folder, const std::string& what);

/// A name for a file or folder: letters and digits lower-cased, every other run of characters one dash, none at the
/// ends ("Fashion-MNIST" → "fashion-mnist"); "data" when nothing is left.
std::string lowerDashed(const std::string& text);

} // namespace distillery::core

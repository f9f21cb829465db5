// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <vector>

namespace distillery::core {

struct MethodInfo
{
    std::string name; ///< registry key, e.g. "herding"
    std::string title; ///< e.g. "Herding (coreset)"
    std::string summary; ///< one plain sentence: what it keeps or matches
    bool selectsRealImages = false; ///< coresets: the synthetic set is made of real training images
    /// The window's explanation (rich text): what is matched, its formula, what to watch for in a lesson.
    std::string explanation;
};

/// Every method the registry knows, in display order.
std::vector<MethodInfo> availableMethods();

/// Throws Error listing the known names when `name` is unknown.
MethodInfo methodInfo(const std::string& name);

} // namespace distillery::core

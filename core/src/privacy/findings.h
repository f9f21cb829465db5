// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/privacy.h>

#include <vector>

namespace distillery::core {

/// The report's results as plain headlines with their detail (docs/privacy.md, "Wording"): never "anonymous" or
/// "safe", every number with its test, interval and baseline in the detail.
std::vector<PrivacyFinding> plainFindings(const PrivacyReport& report, const PrivacyOptions& options);

} // namespace distillery::core

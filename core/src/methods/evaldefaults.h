// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/config.h>
#include <distillery/datasets.h>

#include <string>

namespace distillery::core {

/// The evaluation protocol a method's paper used, for what the request left on auto (Method::resolveRunDefaults):
/// `defaultAugment` ("dsa" or "none"), and with DSA the data set's own strategy (no flips for digits).
void resolveMethodEvalProtocol(EvalConfig& eval, const std::string& defaultAugment, const DatasetInfo& data);

} // namespace distillery::core

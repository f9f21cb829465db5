// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace distillery::ui {

/// A short, plain explanation of a method for the panel beside the controls (rich text): what is matched, the
/// formula, and what to watch for. Unknown names get the registry's one-line summary.
QString methodExplanation(const QString& method);

} // namespace distillery::ui

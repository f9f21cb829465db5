// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/config.h>

#include <QSize>
#include <QString>
#include <QStringList>

#include <optional>

namespace distillery::app {

/// What the command line asks of the window (scripted runs, screenshots for the documentation).
struct GuiOptions
{
    std::optional<QString> dataset;
    std::optional<QString> method;
    std::optional<int> ipc;
    std::optional<QString> preset;
    std::optional<int> iterations;
    std::optional<QString> device;
    std::optional<QString> config;
    bool autostart = false;
    QString resume; ///< continue this run folder from its checkpoint at once
    int quitAfterIterations = 0;
    QString screenshot;
    int zoom = 0;
    bool presentation = false; ///< start in presentation mode
    QSize windowSize; ///< invalid: the default size
    QString error; ///< set when the options do not parse
};

GuiOptions parseGuiOptions(const QStringList& arguments);

/// Applies the options to `config` (preset first, then the explicit settings); throws core::Error naming the
/// option for a bad value.
void applyGuiOptions(const GuiOptions& options, distillery::core::RunConfig& config);

} // namespace distillery::app

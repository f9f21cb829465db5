// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

class QCustomPlot;
class QWidget;

namespace distillery::ui {

/// A live plot in the window's style: labelled axes, drag and zoom, and no antialiasing (on a two-core laptop a
/// replot's time is taken from distillation; fast polylines draw thousands of points in one call).
QCustomPlot* makePlot(QWidget* parent, const QString& xLabel, const QString& yLabel, bool logScale);

} // namespace distillery::ui

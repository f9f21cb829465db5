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

/// Sets every text of `plot` (axis labels and ticks, legend, text items) to the application's font times `scale`
/// (1 = normal; the presentation mode enlarges them for the back of a room). `legendScale` sizes the legend
/// relative to that (a crowded per-class legend stays smaller).
void scalePlotFonts(QCustomPlot* plot, double scale, double legendScale = 1.0);

/// Moves the plot's legend out of the data into a row under it, so it never hides a curve (issue 15: legends over the
/// per-class curves). Entries fill the rows first, as many per row as fit the plot's width (kept as it resizes).
void placeLegendBelow(QCustomPlot* plot);

/// Sets the legend's entries per row to what fits the plot's width now (after entries or fonts changed).
void fitLegendColumns(QCustomPlot* plot);

} // namespace distillery::ui

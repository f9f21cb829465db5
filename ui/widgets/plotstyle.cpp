// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/plotstyle.h"

#include "widgets/qcustomplot_include.h"

namespace distillery::ui {

QCustomPlot* makePlot(QWidget* parent, const QString& xLabel, const QString& yLabel, bool logScale)
{
    auto* plot = new QCustomPlot(parent);
    plot->xAxis->setLabel(xLabel);
    plot->yAxis->setLabel(yLabel);
    if (logScale) {
        plot->yAxis->setScaleType(QCPAxis::stLogarithmic);
        plot->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    }
    plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot->setNotAntialiasedElements(QCP::aeAll);
    plot->setPlottingHint(QCP::phFastPolylines, true);
    plot->setMinimumHeight(140);
    return plot;
}

} // namespace distillery::ui

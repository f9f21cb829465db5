// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/plotstyle.h"

#include "widgets/qcustomplot_include.h"

#include <algorithm>

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

void scalePlotFonts(QCustomPlot* plot, double scale, double legendScale)
{
    QFont font = QApplication::font();
    font.setPointSizeF(font.pointSizeF() * scale);
    for (QCPAxis* axis : {plot->xAxis, plot->yAxis}) {
        axis->setLabelFont(font);
        axis->setTickLabelFont(font);
    }
    plot->xAxis->ticker()->setTickCount(scale > 1.2 ? 3 : 5); // large tick labels need room between them
    QFont legend = font;
    legend.setPointSizeF(font.pointSizeF() * legendScale);
    plot->legend->setFont(legend);
    for (int i = 0; i < plot->itemCount(); ++i)
        if (auto* text = qobject_cast<QCPItemText*>(plot->item(i)))
            text->setFont(font);
}

void placeLegendBelow(QCustomPlot* plot, int columns)
{
    if (plot->legend->layout() != plot->axisRect()->insetLayout())
        return; // placed already
    // A grid of its own under the axis rect: the legend leaves the axis rect's inset layout when added here.
    auto* row = new QCPLayoutGrid;
    plot->plotLayout()->addElement(1, 0, row);
    plot->plotLayout()->setRowStretchFactor(1, 0.001); // as tall as its content, the rest for the data
    row->setMargins(QMargins(5, 0, 5, 4));
    row->addElement(0, 0, plot->legend);
    plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    plot->legend->setWrap(std::max(1, columns));
    plot->legend->setBorderPen(Qt::NoPen);
    plot->legend->setBrush(Qt::NoBrush);
    plot->legend->setMargins(QMargins(2, 0, 2, 0));
    plot->legend->setColumnSpacing(12);
    plot->legend->setRowSpacing(0);
}

} // namespace distillery::ui

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/plotstyle.h"

#include "widgets/qcustomplot_include.h"

#include <algorithm>

namespace distillery::ui {
namespace {

    /// Re-fits a plot's legend rows whenever the plot is resized.
    class LegendFitter final : public QObject
    {
    public:
        explicit LegendFitter(QCustomPlot* plot)
            : QObject(plot)
            , m_plot(plot)
        {
        }

    protected:
        bool eventFilter(QObject* watched, QEvent* event) override
        {
            if (watched == m_plot && event->type() == QEvent::Resize)
                fitLegendColumns(m_plot);
            return false;
        }

    private:
        QCustomPlot* m_plot;
    };

} // namespace

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
    fitLegendColumns(plot);
    for (int i = 0; i < plot->itemCount(); ++i)
        if (auto* text = qobject_cast<QCPItemText*>(plot->item(i)))
            text->setFont(font);
}

void placeLegendBelow(QCustomPlot* plot)
{
    if (plot->legend->layout() != plot->axisRect()->insetLayout())
        return; // placed already
    // A grid of its own under the axis rect: the legend leaves the axis rect's inset layout when added here.
    auto* row = new QCPLayoutGrid;
    plot->plotLayout()->addElement(1, 0, row);
    plot->plotLayout()->setRowStretchFactor(1, 0.001); // as tall as its content, the rest for the data
    row->setMargins(QMargins(5, 0, 5, 4));
    row->addElement(0, 0, plot->legend);
    plot->legend->setBorderPen(Qt::NoPen);
    plot->legend->setBrush(Qt::NoBrush);
    plot->legend->setMargins(QMargins(2, 0, 2, 0));
    plot->legend->setColumnSpacing(12);
    plot->legend->setRowSpacing(0);
    plot->installEventFilter(new LegendFitter(plot));
    fitLegendColumns(plot);
}

void fitLegendColumns(QCustomPlot* plot)
{
    QCPLegend* legend = plot->legend;
    // itemCount() counts the grid's cells, and a rearranged grid has empty ones (item() is null there).
    int items = 0;
    int widest = 1;
    for (int i = 0; i < legend->itemCount(); ++i)
        if (const QCPAbstractLegendItem* item = legend->item(i)) {
            ++items;
            widest = std::max(widest, item->minimumOuterSizeHint().width());
        }
    const int available = plot->width() - 20; // the legend's and its row's margins
    const int columns = std::clamp((available + legend->columnSpacing()) / (widest + legend->columnSpacing()), 1, std::max(1, items));
    if (columns == legend->wrap())
        return;
    legend->setWrap(columns);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true); // re-arranges the entries there are
}

} // namespace distillery::ui

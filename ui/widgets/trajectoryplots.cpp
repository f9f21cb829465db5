// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/trajectoryplots.h"

#include "widgets/plotstyle.h"
#include "widgets/qcustomplot_include.h"

namespace distillery::ui {
namespace {

    const QColor kFirstColour(150, 150, 150);
    const QColor kLatestColour(120, 40, 140);

    /// Graph 0: the first curve shown (light, dashed), graph 1: the latest (dark).
    void addFirstAndLatest(QCustomPlot* plot)
    {
        plot->addGraph()->setPen(QPen(kFirstColour, 1.5, Qt::DashLine));
        plot->addGraph()->setPen(QPen(kLatestColour, 2));
        plot->graph(1)->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 4));
        plot->legend->setVisible(true);
        placeLegendBelow(plot);
    }

    void setCurve(QCPGraph* graph, const std::vector<double>& values, int firstKey)
    {
        QVector<double> keys(static_cast<int>(values.size()));
        for (int i = 0; i < keys.size(); ++i)
            keys[i] = firstKey + i;
        graph->setData(keys, QVector<double>(values.begin(), values.end()), true);
    }

} // namespace

TrajectoryPlots::TrajectoryPlots(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_unrollPlot = makePlot(this, tr("student step"), tr("distance to expert target"), false);
    m_unrollPlot->setObjectName(QStringLiteral("unrollPlot"));
    m_unrollPlot->setToolTip(tr("The student's distance to where the expert was M epochs later, after each of its "
                                "steps on the synthetic set (1 = where it started). The synthetic set is learning "
                                "when the latest curve ends lower than the first."));
    addFirstAndLatest(m_unrollPlot);
    m_stepSizePlot = makePlot(this, tr("iteration"), tr("learned step size"), true);
    m_stepSizePlot->setObjectName(QStringLiteral("stepSizePlot"));
    m_stepSizePlot->addGraph()->setPen(QPen(kLatestColour, 2));
    layout->addWidget(m_unrollPlot);
    layout->addWidget(m_stepSizePlot);
    clear();
}

void TrajectoryPlots::clear()
{
    for (QCustomPlot* plot : {m_unrollPlot, m_stepSizePlot}) {
        for (int g = 0; g < plot->graphCount(); ++g)
            plot->graph(g)->data()->clear();
        plot->setVisible(false);
    }
    m_unrollIteration = 0;
    m_stepSizeIteration = 0;
    m_schedule = false;
    setVisible(false);
}

void TrajectoryPlots::appendSteps(const QList<core::StepStats>& steps)
{
    for (const auto& s : steps) {
        if (!s.unrollCurve.empty())
            showUnroll(s);
        if (!s.stepSizes.empty())
            showStepSizes(s);
    }
    setVisible(hasData());
}

void TrajectoryPlots::showUnroll(const core::StepStats& s)
{
    if (m_unrollIteration == 0) {
        setCurve(m_unrollPlot->graph(0), s.unrollCurve, 0);
        m_unrollPlot->graph(0)->setName(tr("iteration %1").arg(s.iteration));
        m_unrollPlot->setVisible(true);
    }
    // One iteration's curve, not a trend: each draws its own expert and start epoch, so curves jump from one
    // iteration to the next while the trend goes down.
    setCurve(m_unrollPlot->graph(1), s.unrollCurve, 0);
    m_unrollPlot->graph(1)->setName(tr("iteration %1").arg(s.iteration));
    m_unrollIteration = s.iteration;
}

void TrajectoryPlots::showStepSizes(const core::StepStats& s)
{
    if (m_stepSizeIteration == 0) {
        m_schedule = s.stepSizes.size() > 1;
        m_stepSizePlot->setVisible(true);
        m_stepSizePlot->clearGraphs();
        if (m_schedule) {
            // DD: one value per unrolled step; the start (all equal) beside the latest.
            addFirstAndLatest(m_stepSizePlot);
            setCurve(m_stepSizePlot->graph(0), s.stepSizes, 1);
            m_stepSizePlot->graph(0)->setName(tr("iteration %1").arg(s.iteration));
            m_stepSizePlot->xAxis->setLabel(tr("unrolled step"));
            m_stepSizePlot->setToolTip(tr("The learned step size of each unrolled training step: how hard a network "
                                          "trained on this set should move at that step."));
        } else {
            m_stepSizePlot->addGraph()->setPen(QPen(kLatestColour, 2));
            m_stepSizePlot->legend->setVisible(false);
            m_stepSizePlot->xAxis->setLabel(tr("iteration"));
            m_stepSizePlot->setToolTip(tr("The learned step size α: the learning rate the synthetic set is meant to "
                                          "be trained with (the evaluation uses it)."));
        }
    }
    if (m_schedule) {
        setCurve(m_stepSizePlot->graph(1), s.stepSizes, 1);
        m_stepSizePlot->graph(1)->setName(tr("iteration %1").arg(s.iteration));
    } else if (s.stepSizes.front() > 0) { // a log axis cannot show zero
        m_stepSizePlot->graph(0)->addData(s.iteration, s.stepSizes.front());
    }
    m_stepSizeIteration = s.iteration;
}

void TrajectoryPlots::replot()
{
    for (QCustomPlot* plot : {m_unrollPlot, m_stepSizePlot})
        if (plot->isVisibleTo(this)) {
            plot->rescaleAxes();
            plot->replot(QCustomPlot::rpRefreshHint);
        }
}

int TrajectoryPlots::unrollPointCount() const
{
    return m_unrollPlot->graph(1)->dataCount();
}

int TrajectoryPlots::stepSizePointCount() const
{
    return m_stepSizePlot->graph(m_schedule ? 1 : 0)->dataCount();
}

void TrajectoryPlots::setTextScale(double scale)
{
    scalePlotFonts(m_unrollPlot, scale);
    scalePlotFonts(m_stepSizePlot, scale);
}

} // namespace distillery::ui

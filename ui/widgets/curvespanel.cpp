// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/curvespanel.h"

#include "widgets/accuracyplot.h"
#include "widgets/labelbars.h"
#include "widgets/plotstyle.h"
#include "widgets/qcustomplot_include.h"
#include "widgets/trajectoryplots.h"

#include <cmath>

namespace distillery::ui {
namespace {

    // 20 replots per second at most, and at most a tenth of the GUI thread's time: on a two-core laptop every
    // millisecond the GUI thread spends is taken from a torch thread, and the other one then waits for it.
    constexpr int kReplotIntervalMs = 50;
    constexpr int kReplotCostFactor = 10;
    // Exponential smoothing of the raw loss: heavy enough to show the trend under DM's per-step noise. Divided by
    // 1 − (1 − a)^t, so the first points are not pulled towards the (high) starting loss.
    constexpr double kSmoothing = 0.05;
    // The per-class legend lists up to a dozen names under the curves: smaller than the rest.
    constexpr double kClassLegendScale = 0.75;

} // namespace

CurvesPanel::CurvesPanel(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    m_lossPlot = makePlot(this, tr("iteration"), tr("loss"), true);
    m_lossPlot->setToolTip(tr("The method's own loss per iteration (light: raw, dark: smoothed). Log scale."));
    m_lossPlot->addGraph();
    m_lossPlot->graph(0)->setPen(QPen(QColor(120, 160, 220, 110)));
    m_lossPlot->graph(0)->setName(tr("raw"));
    m_lossPlot->addGraph();
    m_lossPlot->graph(1)->setPen(QPen(QColor(20, 60, 160), 2));
    m_lossPlot->graph(1)->setName(tr("smoothed"));
    m_lossPlot->legend->setVisible(true);
    placeLegendBelow(m_lossPlot);

    m_classPlot = makePlot(this, tr("iteration"), tr("per-class term"), true);
    m_classPlot->setToolTip(tr("What is being matched, class by class (DM: embedding distance; DC/DSA: gradient "
                               "distance; coresets: the selection objective)"));
    placeLegendBelow(m_classPlot);

    m_accuracy = new AccuracyPlot(this);
    connect(m_accuracy, &AccuracyPlot::fullDataRequested, this, &CurvesPanel::fullDataRequested);

    m_trajectory = new TrajectoryPlots(this);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_lossPlot);
    splitter->addWidget(m_classPlot);
    splitter->addWidget(m_trajectory);
    splitter->addWidget(m_accuracy);
    layout->addWidget(splitter, 1);

    m_replotTimer.setSingleShot(true);
    m_replotTimer.setInterval(kReplotIntervalMs);
    connect(&m_replotTimer, &QTimer::timeout, this, &CurvesPanel::replotNow);
}

void CurvesPanel::setClassNames(const std::vector<std::string>& names)
{
    if (names == m_classNames)
        return;
    m_classNames = names;
    m_classPlot->clearGraphs();
    const int classes = static_cast<int>(names.size());
    for (int c = 0; c < classes; ++c) {
        QCPGraph* graph = m_classPlot->addGraph();
        graph->setPen(QPen(classColour(c, classes), 1.2));
        graph->setName(QString::fromStdString(names[static_cast<std::size_t>(c)]));
    }
    m_classPlot->legend->setVisible(classes <= 12);
    scalePlotFonts(m_classPlot, m_textScale, kClassLegendScale);
    scheduleReplot();
}

void CurvesPanel::clear()
{
    m_lossPlot->graph(0)->data()->clear();
    m_lossPlot->graph(1)->data()->clear();
    // Empty plots keep whatever range they had: set the axes back, so a cleared window shows no trace of the last run.
    for (QCustomPlot* plot : {m_lossPlot, m_classPlot}) {
        plot->xAxis->setRange(0, 1);
        plot->yAxis->setRange(1, 10);
    }
    for (int g = 0; g < m_classPlot->graphCount(); ++g)
        m_classPlot->graph(g)->data()->clear();
    m_trajectory->clear();
    showClassPlotIfItFits();
    m_accuracy->clear();
    m_smoothed.reset();
    m_smoothedCount = 0;
    scheduleReplot();
}

void CurvesPanel::appendSteps(const QList<core::StepStats>& steps)
{
    for (const auto& s : steps) {
        // Steps arrive in order, so the data stays sorted and addData needs no re-sort.
        if (s.loss > 0) { // a log axis cannot show zero
            m_smoothed = (1 - kSmoothing) * m_smoothed.value_or(0.0) + kSmoothing * s.loss;
            ++m_smoothedCount;
            m_lossPlot->graph(0)->addData(s.iteration, s.loss);
            m_lossPlot->graph(1)->addData(s.iteration, *m_smoothed / (1 - std::pow(1 - kSmoothing, m_smoothedCount)));
        }
        for (std::size_t c = 0; c < s.classTerms.size() && c < static_cast<std::size_t>(m_classPlot->graphCount()); ++c)
            if (s.classTerms[c] > 0)
                m_classPlot->graph(static_cast<int>(c))->addData(s.iteration, s.classTerms[c]);
        if (!s.lossName.empty())
            m_lossPlot->yAxis->setLabel(QString::fromStdString(s.lossName));
    }
    m_trajectory->appendSteps(steps);
    showClassPlotIfItFits();
    scheduleReplot();
}

void CurvesPanel::addEvaluation(const core::EvalResult& r)
{
    m_accuracy->addEvaluation(r);
    scheduleReplot();
}

void CurvesPanel::setRandomBaseline(const core::EvalResult& r)
{
    m_accuracy->setRandomBaseline(r);
    scheduleReplot();
}

void CurvesPanel::setFullDataReference(double accuracy, const QString& note, bool measured)
{
    m_accuracy->setFullDataReference(accuracy, note, measured);
    scheduleReplot();
}

void CurvesPanel::setPresentation(bool on, double scale)
{
    m_presenting = on;
    m_textScale = scale;
    scalePlotFonts(m_lossPlot, scale);
    scalePlotFonts(m_classPlot, scale, kClassLegendScale);
    m_accuracy->setTextScale(scale);
    m_accuracy->setCompact(on);
    m_trajectory->setTextScale(scale);
    showClassPlotIfItFits();
    scheduleReplot();
}

void CurvesPanel::showClassPlotIfItFits()
{
    // MTT and DD match no per-class terms: their own plots take that place. Presentation mode hides it too.
    bool terms = false;
    for (int g = 0; g < m_classPlot->graphCount(); ++g)
        terms = terms || m_classPlot->graph(g)->dataCount() > 0;
    m_classPlot->setVisible(!m_presenting && (terms || !m_trajectory->hasData()));
}

bool CurvesPanel::showsClassTerms() const
{
    return m_classPlot->isVisibleTo(this);
}

double CurvesPanel::lossAxisEnd() const
{
    return m_lossPlot->xAxis->range().upper;
}

int CurvesPanel::lossPointCount() const
{
    return m_lossPlot->graph(0)->dataCount();
}

int CurvesPanel::accuracyPointCount() const
{
    return m_accuracy->pointCount();
}

void CurvesPanel::scheduleReplot()
{
    if (!m_replotTimer.isActive())
        m_replotTimer.start();
}

void CurvesPanel::replotNow()
{
    QElapsedTimer cost;
    cost.start();
    ++m_replots;
    for (QCustomPlot* plot : {m_lossPlot, m_classPlot})
        plot->rescaleAxes();
    // Drawn now (the timer already merged the requests), so the cost below is the real one.
    for (QCustomPlot* plot : {m_lossPlot, m_classPlot})
        plot->replot(QCustomPlot::rpRefreshHint);
    m_accuracy->replot(m_lossPlot->graph(0)->dataCount() > 0 ? m_lossPlot->xAxis->range().upper : 0.0);
    m_trajectory->replot();
    const auto ms = cost.nsecsElapsed() / 1e6;
    m_replotMs += ms;
    m_replotTimer.setInterval(std::max<int>(kReplotIntervalMs, static_cast<int>(kReplotCostFactor * ms)));
}

} // namespace distillery::ui

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/curvespanel.h"

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
    m_lossPlot->legend->setBrush(QColor(255, 255, 255, 170));

    m_classPlot = makePlot(this, tr("iteration"), tr("per-class term"), true);
    m_classPlot->setToolTip(tr("What is being matched, class by class (DM: embedding distance; DC/DSA: gradient "
                               "distance; coresets: the selection objective)"));

    m_accuracyPlot = makePlot(this, tr("iteration"), tr("test accuracy (%)"), false);
    m_accuracyPlot->setToolTip(tr("Fresh networks trained on the synthetic set only, tested on the real test split: "
                                  "mean ± std over the models. Dashed: the same protocol on a random real subset "
                                  "of the same size, and on the full training set."));
    m_accuracyPlot->addGraph();
    m_accuracyPlot->graph(0)->setPen(QPen(QColor(200, 70, 30), 2));
    m_accuracyPlot->graph(0)->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 6));
    m_errorBars = new QCPErrorBars(m_accuracyPlot->xAxis, m_accuracyPlot->yAxis);
    m_errorBars->setDataPlottable(m_accuracyPlot->graph(0));
    m_errorBars->setPen(QPen(QColor(200, 70, 30)));
    m_accuracyPlot->yAxis->setRange(0, 100);
    auto makeLine = [this](QCPItemStraightLine*& line, QCPItemText*& text, const QColor& colour) {
        line = new QCPItemStraightLine(m_accuracyPlot);
        line->setPen(QPen(colour, 1.5, Qt::DashLine));
        line->setVisible(false);
        text = new QCPItemText(m_accuracyPlot);
        text->setColor(colour);
        text->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
        text->position->setTypeX(QCPItemPosition::ptAxisRectRatio);
        text->setVisible(false);
    };
    makeLine(m_randomLine, m_randomText, QColor(90, 90, 90));
    makeLine(m_fullLine, m_fullText, QColor(30, 130, 60));

    auto* footer = new QHBoxLayout;
    m_protocol = new QLabel(this);
    m_protocol->setWordWrap(true);
    m_fullButton = new QPushButton(tr("Full-data accuracy"), this);
    m_fullButton->setToolTip(tr("Train on the whole real training set with the same protocol (minutes on a CPU)"));
    connect(m_fullButton, &QPushButton::clicked, this, &CurvesPanel::fullDataRequested);
    footer->addWidget(m_protocol, 1);
    footer->addWidget(m_fullButton);

    m_trajectory = new TrajectoryPlots(this);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_lossPlot);
    splitter->addWidget(m_classPlot);
    splitter->addWidget(m_trajectory);
    splitter->addWidget(m_accuracyPlot);
    layout->addWidget(splitter, 1);
    layout->addLayout(footer);

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
    m_classPlot->legend->setFont(QFont(font().family(), 7));
    m_classPlot->legend->setBrush(QColor(255, 255, 255, 170)); // the curves stay visible behind it
    m_classPlot->legend->setRowSpacing(-3);
    scheduleReplot();
}

void CurvesPanel::clear()
{
    m_lossPlot->graph(0)->data()->clear();
    m_lossPlot->graph(1)->data()->clear();
    for (int g = 0; g < m_classPlot->graphCount(); ++g)
        m_classPlot->graph(g)->data()->clear();
    m_classPlot->setVisible(true);
    m_trajectory->clear();
    m_accuracyPlot->graph(0)->data()->clear();
    m_errorBars->data()->clear();
    m_randomLine->setVisible(false);
    m_randomText->setVisible(false);
    m_fullLine->setVisible(false);
    m_fullText->setVisible(false);
    m_protocol->clear();
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
    // MTT and DD match no per-class terms: their plots take that place.
    if (!steps.isEmpty())
        m_classPlot->setVisible(!steps.back().classTerms.empty() || !m_trajectory->hasData());
    scheduleReplot();
}

void CurvesPanel::addEvaluation(const core::EvalResult& r)
{
    m_accuracyPlot->graph(0)->addData(std::max(0, r.iteration), 100.0 * r.mean);
    m_errorBars->addData(100.0 * r.std);
    m_protocol->setText(tr("Protocol: %1, %2 epochs, %3, n = %4 models")
                            .arg(QString::fromStdString(r.model))
                            .arg(r.epochs)
                            .arg(r.augment == "dsa" ? tr("DSA augmentation") : tr("no augmentation"))
                            .arg(r.accuracies.size()));
    scheduleReplot();
}

void CurvesPanel::setReference(QCPItemStraightLine* line, QCPItemText* text, double accuracy, const QString& label)
{
    line->point1->setCoords(0, 100.0 * accuracy);
    line->point2->setCoords(1, 100.0 * accuracy);
    line->setVisible(true);
    text->position->setCoords(0.01, 100.0 * accuracy);
    text->setText(label);
    text->setVisible(true);
    scheduleReplot();
}

void CurvesPanel::setRandomBaseline(const core::EvalResult& r)
{
    setReference(m_randomLine, m_randomText, r.mean,
        tr("random real, same IPC: %1 ± %2 %").arg(100.0 * r.mean, 0, 'f', 1).arg(100.0 * r.std, 0, 'f', 1));
}

void CurvesPanel::setFullDataReference(double accuracy, const QString& note)
{
    setReference(m_fullLine, m_fullText, accuracy, tr("full data: %1 % (%2)").arg(100.0 * accuracy, 0, 'f', 1).arg(note));
}

int CurvesPanel::lossPointCount() const
{
    return m_lossPlot->graph(0)->dataCount();
}

int CurvesPanel::accuracyPointCount() const
{
    return m_accuracyPlot->graph(0)->dataCount();
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
    // Accuracy keeps its full scale, so gains are not exaggerated, and shares the iteration axis of the loss with
    // a margin, so the last evaluation point is not drawn on the border.
    const double lastIteration = std::max({1.0, m_lossPlot->xAxis->range().upper,
        m_accuracyPlot->graph(0)->dataCount() > 0 ? (m_accuracyPlot->graph(0)->data()->constEnd() - 1)->key : 0.0});
    m_accuracyPlot->yAxis->setRange(0, 100);
    m_accuracyPlot->xAxis->setRange(0, lastIteration * 1.04);
    // Drawn now (the timer already merged the requests), so the cost below is the real one.
    for (QCustomPlot* plot : {m_lossPlot, m_classPlot, m_accuracyPlot})
        plot->replot(QCustomPlot::rpRefreshHint);
    m_trajectory->replot();
    const auto ms = cost.nsecsElapsed() / 1e6;
    m_replotMs += ms;
    m_replotTimer.setInterval(std::max<int>(kReplotIntervalMs, static_cast<int>(kReplotCostFactor * ms)));
}

} // namespace distillery::ui

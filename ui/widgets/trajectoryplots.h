// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/stepstats.h>

#include <QList>
#include <QWidget>

class QCustomPlot;

namespace distillery::ui {

/// The two plots of a method that learns by unrolling training steps, shown only when the run reports them
/// (StepStats::unrollCurve, StepStats::stepSizes):
/// - MTT: the student's distance to the expert's target after each of its unrolled steps, for the first iteration
///   shown and the latest (the set works when the latest curve ends lower), and the learned step size α over
///   iterations;
/// - DD: the learned step-size schedule (one value per unrolled step), as it started and as it is now.
/// The owner merges replots: appendSteps() only takes the data, replot() draws.
class TrajectoryPlots final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrajectoryPlots)

public:
    explicit TrajectoryPlots(QWidget* parent = nullptr);

    void clear();
    /// Every text of the plot(s) `scale` times the normal size (presentation mode).
    void setTextScale(double scale);
    void appendSteps(const QList<distillery::core::StepStats>& steps);
    void replot();

    bool hasData() const { return m_unrollIteration > 0 || m_stepSizeIteration > 0; }
    /// Points of the latest distance curve (N + 1 for N student steps); 0 when none arrived.
    int unrollPointCount() const;
    /// α points so far (one per iteration), or the schedule's length.
    int stepSizePointCount() const;
    /// True when the step sizes are a schedule (DD), false when one value moves over iterations (MTT).
    bool showsSchedule() const { return m_schedule; }

private:
    void showUnroll(const distillery::core::StepStats& s);
    void showStepSizes(const distillery::core::StepStats& s);

    QCustomPlot* m_unrollPlot = nullptr;
    QCustomPlot* m_stepSizePlot = nullptr;
    int m_unrollIteration = 0; ///< iteration of the latest distance curve, 0 = none yet
    int m_stepSizeIteration = 0;
    bool m_schedule = false;
};

} // namespace distillery::ui

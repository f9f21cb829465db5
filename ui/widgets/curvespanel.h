// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/evalresult.h>
#include <distillery/stepstats.h>

#include <QTimer>
#include <QWidget>

#include <optional>
#include <vector>

class QCustomPlot;

namespace distillery::ui {

class AccuracyPlot;
class TrajectoryPlots;

/// Three live plots: the method's loss per iteration (log scale, raw and smoothed), its per-class terms, and test
/// accuracy (AccuracyPlot: evaluation points with error bars, the random-real and full-data references, the latest
/// numbers). Points are appended as they come; replots are merged by a
/// single-shot timer of at least 50 ms (longer when replots get slow), so they stay at or below 20 per second.
/// Methods that unroll training steps (MTT, DD) show their own plots (TrajectoryPlots) in place of the per-class
/// terms they do not have.
class CurvesPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CurvesPanel)

public:
    explicit CurvesPanel(QWidget* parent = nullptr);

    void clear();
    void appendSteps(const QList<distillery::core::StepStats>& steps);
    void addEvaluation(const distillery::core::EvalResult& result);
    void setRandomBaseline(const distillery::core::EvalResult& result);
    /// `note` says where the number comes from ("measured, n = 2" or "published, ConvNet-128").
    void setFullDataReference(double accuracy, const QString& note, bool measured = true);
    void setClassNames(const std::vector<std::string>& names);

    /// Presentation mode: every plot's text `scale` times larger (1 = normal), the crowded per-class plot hidden and
    /// the accuracy reduced to its latest numbers, so the loss curve gets the room.
    void setPresentation(bool on, double scale);
    double textScale() const { return m_textScale; }
    bool showsClassTerms() const;

    int lossPointCount() const;
    /// Where the loss plot's iteration axis ends (1 when cleared).
    double lossAxisEnd() const;
    /// MTT's and DD's own plots (hidden for other methods).
    const TrajectoryPlots& trajectory() const { return *m_trajectory; }
    /// Test accuracy: its series, references and the latest numbers.
    const AccuracyPlot& accuracy() const { return *m_accuracy; }
    int accuracyPointCount() const;
    int replotCount() const { return m_replots; }
    /// A replot is scheduled and not drawn yet (points added since the last one are not on screen).
    bool replotPending() const { return m_replotTimer.isActive(); }
    double replotMilliseconds() const { return m_replotMs; }

Q_SIGNALS:
    void fullDataRequested();

private:
    void scheduleReplot();
    /// The per-class plot shows unless the method has its own plots instead (and no terms) or the window presents.
    void showClassPlotIfItFits();
    void replotNow();

    QCustomPlot* m_lossPlot = nullptr;
    QCustomPlot* m_classPlot = nullptr;
    AccuracyPlot* m_accuracy = nullptr;
    TrajectoryPlots* m_trajectory = nullptr;
    QTimer m_replotTimer;
    std::optional<double> m_smoothed;
    int m_smoothedCount = 0;
    int m_replots = 0;
    double m_replotMs = 0;
    std::vector<std::string> m_classNames;
    double m_textScale = 1.0;
    bool m_presenting = false;
};

} // namespace distillery::ui

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/evalresult.h>

#include <QWidget>

#include <map>
#include <optional>
#include <string>
#include <vector>

class QCustomPlot;
class QCPErrorBars;
class QCPGraph;
class QCPItemStraightLine;
class QCPItemText;
class QLabel;
class QPushButton;

namespace distillery::ui {

/// Test accuracy over the run: one series per kind of evaluation (the set under the standard protocol; with learned
/// labels, the same images with their hard labels; DD's replayed steps), mean ± std error bars, and two dashed
/// references, the random-real baseline at the same IPC and the full-data accuracy. Beside it, the latest result of
/// each kind as a number you can read from the back of a room; hovering a point tells its value, protocol and
/// iteration. The owner merges replots (replot()).
class AccuracyPlot final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AccuracyPlot)

public:
    explicit AccuracyPlot(QWidget* parent = nullptr);

    void clear();
    /// Every text of the plot(s) `scale` times the normal size (presentation mode).
    void setTextScale(double scale);
    /// Only the latest numbers, without the plot (presentation mode: the loss curve gets the room).
    void setCompact(bool compact);
    void addEvaluation(const distillery::core::EvalResult& result);
    void setRandomBaseline(const distillery::core::EvalResult& result);
    /// `note` says where the number comes from ("measured, n = 2" or "published, ConvNet-128"); `measured`: under
    /// this run's own protocol (only then is hard-label recovery shown against it).
    void setFullDataReference(double accuracy, const QString& note, bool measured = true);
    /// Scales the iteration axis to the loss plot's (`lastIteration`) and draws.
    void replot(double lastIteration);

    /// Points of one kind of evaluation, by its EvalResult::subject.
    int pointCount(const std::string& subject = "synthetic") const;
    /// The numbers shown beside the plot.
    QString latestText() const;
    /// DD-Ranking's scores the window can tell from what it measured (IOR against the random real baseline, HLR
    /// against a measured full-data accuracy), or what is missing for them.
    QString scoresText() const;
    /// What hovering point `index` of `subject` shows, and where that point is drawn (plot coordinates).
    QString pointText(const std::string& subject, int index) const;
    QPoint pointPosition(const std::string& subject, int index) const;
    /// The plot itself (where pointPosition() is, and what shows the hover text).
    QWidget* plotWidget() const;
    std::optional<double> randomBaseline() const { return m_random; }
    std::optional<double> fullDataReference() const { return m_full; }

Q_SIGNALS:
    void fullDataRequested();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    struct Series
    {
        QCPGraph* graph = nullptr;
        QCPErrorBars* bars = nullptr;
        std::vector<distillery::core::EvalResult> results;
    };
    Series& series(const std::string& subject);
    void setReference(QCPItemStraightLine* line, QCPItemText* text, double accuracy, const QString& label);
    void updateLatest();

    QCustomPlot* m_plot = nullptr;
    std::map<std::string, Series> m_series;
    QCPItemStraightLine* m_randomLine = nullptr;
    QCPItemText* m_randomText = nullptr;
    QCPItemStraightLine* m_fullLine = nullptr;
    QCPItemText* m_fullText = nullptr;
    std::optional<double> m_random;
    std::optional<double> m_full;
    bool m_fullMeasured = false;
    QLabel* m_latest = nullptr;
    QLabel* m_scores = nullptr;
    QLabel* m_protocol = nullptr;
    QPushButton* m_fullButton = nullptr;
};

} // namespace distillery::ui

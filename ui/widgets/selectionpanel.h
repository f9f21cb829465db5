// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/selection.h>

#include <QWidget>

class QCPBars;
class QCustomPlot;
class QLabel;

namespace distillery::ui {

/// What a run's data selection kept (docs/methods.md §10): a sentence with the counts, the score histogram of kept and
/// dropped images, and a few kept and dropped images of every class.
class SelectionPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SelectionPanel)

public:
    explicit SelectionPanel(QWidget* parent = nullptr);

    /// Shows `selection`; nothing (std::nullopt) says the run used every training image.
    void setSelection(const std::optional<core::RunSelection>& selection);
    /// Back to the empty state, before a run has chosen its data.
    void clear();

    QString summary() const;
    /// Counts in the histogram's bins: kept and dropped images (for tests).
    std::pair<double, double> histogramTotals() const;
    /// The example images: rows (classes) and images per row side (for tests).
    QSize examplesGrid() const;

private:
    QLabel* m_summary = nullptr;
    QCustomPlot* m_plot = nullptr;
    QCPBars* m_keptBars = nullptr;
    QCPBars* m_droppedBars = nullptr;
    QLabel* m_examples = nullptr;
    QSize m_examplesGrid;
};

} // namespace distillery::ui

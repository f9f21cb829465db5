// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QString>
#include <QWidget>

#include <string>
#include <vector>

class QPainter;

namespace distillery::ui {

/// The colour of class `c` of `classes`, the same in every plot and label bar of the window.
QColor classColour(int c, int classes);

/// One image's learned label as `classes` bars side by side in `area`, each as tall as its probability, in the
/// classes' colours; the bar of `ownClass` (the row the image sits in) is outlined. What a teacher points at when a
/// "7" also teaches "1".
void paintLabelBars(QPainter& painter, const QRect& area, const float* probabilities, int classes, int ownClass);

/// The most likely classes in words: "T-shirt 62 %, Shirt 30 %, Pullover 5 %" (at most `top`, those ≥ 1 %).
QString labelSummary(const float* probabilities, const std::vector<std::string>& classNames, int top = 3);

/// One learned label in full for the enlarged view: a row per class with its name, a bar and the percentage.
class LabelDistributionView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LabelDistributionView)

public:
    LabelDistributionView(const float* probabilities, std::vector<std::string> classNames, int ownClass,
        QWidget* parent = nullptr);

    QSize sizeHint() const override;
    float probability(int c) const { return m_probabilities.at(static_cast<std::size_t>(c)); }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    std::vector<float> m_probabilities;
    std::vector<std::string> m_classNames;
    int m_ownClass = 0;
};

} // namespace distillery::ui

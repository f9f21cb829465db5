// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/labelbars.h"

#include <QPainter>

#include <algorithm>
#include <numeric>

namespace distillery::ui {
namespace {

    constexpr int kRowPadding = 3;
    constexpr int kBarWidth = 160;

} // namespace

QColor classColour(int c, int classes)
{
    return QColor::fromHsv((360 * c) / std::max(1, classes), 200, 210);
}

void paintLabelBars(QPainter& painter, const QRect& area, const float* probabilities, int classes, int ownClass)
{
    if (classes <= 0 || area.width() <= 0 || area.height() <= 0)
        return;
    painter.save();
    painter.fillRect(area, QColor(250, 250, 250));
    for (int c = 0; c < classes; ++c) {
        // Integer edges that tile the area exactly, whatever its width.
        const int left = area.left() + (c * area.width()) / classes;
        const int right = area.left() + ((c + 1) * area.width()) / classes;
        const float p = std::clamp(probabilities[c], 0.0F, 1.0F);
        const int height = static_cast<int>(p * static_cast<float>(area.height()) + 0.5F);
        const QRect bar(left, area.bottom() + 1 - height, std::max(1, right - left), height);
        painter.fillRect(bar, classColour(c, classes));
        if (c == ownClass) {
            painter.setPen(QPen(Qt::black, 1));
            painter.drawRect(QRect(left, area.top(), std::max(1, right - left) - 1, area.height() - 1));
        }
    }
    painter.restore();
}

QString labelSummary(const float* probabilities, const std::vector<std::string>& classNames, int top)
{
    std::vector<int> order(classNames.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return probabilities[a] > probabilities[b]; });
    QStringList parts;
    for (int i = 0; i < std::min<int>(top, static_cast<int>(order.size())); ++i) {
        const float p = probabilities[order[static_cast<std::size_t>(i)]];
        if (i > 0 && p < 0.01F)
            break;
        parts << QStringLiteral("%1 %2 %").arg(QString::fromStdString(classNames[static_cast<std::size_t>(order[static_cast<std::size_t>(i)])]))
                     .arg(100.0 * p, 0, 'f', 0);
    }
    return parts.join(QStringLiteral(", "));
}

LabelDistributionView::LabelDistributionView(
    const float* probabilities, std::vector<std::string> classNames, int ownClass, QWidget* parent)
    : QWidget(parent)
    , m_probabilities(probabilities, probabilities + classNames.size())
    , m_classNames(std::move(classNames))
    , m_ownClass(ownClass)
{
    setToolTip(tr("The label this image teaches: learned with the pixels, as probabilities over the classes. The "
                  "evaluation trains on these probabilities (soft cross-entropy)."));
}

QSize LabelDistributionView::sizeHint() const
{
    int nameWidth = 0;
    for (const auto& name : m_classNames)
        nameWidth = std::max(nameWidth, fontMetrics().horizontalAdvance(QString::fromStdString(name)));
    const int rowHeight = fontMetrics().height() + kRowPadding;
    return {nameWidth + kBarWidth + fontMetrics().horizontalAdvance(QStringLiteral(" 100 %")) + 3 * kRowPadding,
        static_cast<int>(m_classNames.size()) * rowHeight};
}

void LabelDistributionView::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    int nameWidth = 0;
    for (const auto& name : m_classNames)
        nameWidth = std::max(nameWidth, fontMetrics().horizontalAdvance(QString::fromStdString(name)));
    const int rowHeight = fontMetrics().height() + kRowPadding;
    const int classes = static_cast<int>(m_classNames.size());
    const int barLeft = nameWidth + kRowPadding;
    const int barSpace = std::max(10, width() - barLeft - fontMetrics().horizontalAdvance(QStringLiteral(" 100 %")) - kRowPadding);
    for (int c = 0; c < classes; ++c) {
        const int top = c * rowHeight;
        QFont font = painter.font();
        font.setBold(c == m_ownClass);
        painter.setFont(font);
        painter.setPen(palette().color(QPalette::WindowText));
        painter.drawText(QRect(0, top, nameWidth, rowHeight), Qt::AlignRight | Qt::AlignVCenter,
            QString::fromStdString(m_classNames[static_cast<std::size_t>(c)]));
        const float p = std::clamp(m_probabilities[static_cast<std::size_t>(c)], 0.0F, 1.0F);
        painter.fillRect(QRect(barLeft, top + kRowPadding / 2, std::max(1, static_cast<int>(p * barSpace)), rowHeight - kRowPadding),
            classColour(c, classes));
        painter.drawText(QRect(barLeft + barSpace, top, width() - barLeft - barSpace, rowHeight), Qt::AlignRight | Qt::AlignVCenter,
            QStringLiteral("%1 %").arg(100.0 * p, 0, 'f', 0));
    }
}

} // namespace distillery::ui

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/selectionpanel.h"

#include "controller/snapshotimage.h"
#include "widgets/plotstyle.h"
#include "widgets/qcustomplot_include.h"

#include <QFontMetrics>
#include <QLabel>
#include <QPainter>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace distillery::ui {
namespace {

    constexpr int kBins = 40;
    constexpr int kScale = 2; // screen pixels per image pixel in the examples
    constexpr int kGap = 4;

    QString ruleInWords(const core::RunSelection& s)
    {
        const QString share = QStringLiteral("%1 %").arg(100.0 * s.fraction, 0, 'g', 3);
        const QString by = s.score == "early" ? QObject::tr("loss after one epoch of training") : QObject::tr("loss after training");
        if (s.rule == "drop-hardest")
            return QObject::tr("the %1 of each class with the highest %2 (the hardest) were dropped").arg(share, by);
        if (s.rule == "drop-easiest")
            return QObject::tr("the %1 of each class with the lowest %2 (the easiest) were dropped").arg(share, by);
        return QObject::tr("a random %1 of each class was dropped").arg(share);
    }

    /// Rows of classes: the class name, the kept examples, a gap, the dropped ones, each at kScale.
    QImage examplesImage(const core::RunSelection& s, QSize& grid, const QFont& font)
    {
        const int classes = static_cast<int>(s.classNames.size());
        const auto perClass = [](const std::vector<int>& classesOf, int c) {
            return static_cast<int>(std::count(classesOf.begin(), classesOf.end(), c));
        };
        int keptWide = 0, droppedWide = 0;
        for (int c = 0; c < classes; ++c) {
            keptWide = std::max(keptWide, perClass(s.keptExampleClasses, c));
            droppedWide = std::max(droppedWide, perClass(s.droppedExampleClasses, c));
        }
        const core::ImageBatch8& any = s.keptExamples.count > 0 ? s.keptExamples : s.droppedExamples;
        if (classes == 0 || any.count == 0)
            return {};
        grid = QSize(std::max(keptWide, droppedWide), classes);
        const int cell = any.width * kScale + kGap;
        const int rowHeight = any.height * kScale + kGap;
        const int columnGap = 3 * kGap;
        const QFontMetrics metrics(font);
        int nameWidth = 0;
        for (const auto& name : s.classNames)
            nameWidth = std::max(nameWidth, metrics.horizontalAdvance(QString::fromStdString(name)));
        nameWidth += 2 * kGap;
        QImage image(nameWidth + (keptWide + droppedWide) * cell + columnGap, classes * rowHeight, QImage::Format_RGB32);
        image.fill(Qt::white);
        QPainter painter(&image);
        painter.setFont(font);
        for (int c = 0; c < classes; ++c)
            painter.drawText(QRect(0, c * rowHeight, nameWidth - kGap, rowHeight - kGap), Qt::AlignRight | Qt::AlignVCenter,
                QString::fromStdString(s.classNames[static_cast<std::size_t>(c)]));
        const auto draw = [&](const core::ImageBatch8& batch, const std::vector<int>& classesOf, int x0) {
            std::vector<int> used(static_cast<std::size_t>(classes), 0);
            for (int i = 0; i < batch.count; ++i) {
                const int c = classesOf[static_cast<std::size_t>(i)];
                const QRect target(x0 + used[static_cast<std::size_t>(c)]++ * cell, c * rowHeight, batch.width * kScale, batch.height * kScale);
                painter.drawImage(target, toQImage(batch, i));
            }
        };
        draw(s.keptExamples, s.keptExampleClasses, nameWidth);
        draw(s.droppedExamples, s.droppedExampleClasses, nameWidth + keptWide * cell + columnGap);
        return image;
    }

} // namespace

SelectionPanel::SelectionPanel(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("selectionSummary"));
    m_summary->setWordWrap(true);
    m_summary->setToolTip(tr("Which real training images the method could draw from (Data → Selection)"));
    layout->addWidget(m_summary);

    m_plot = makePlot(this, tr("per-image loss (log10) under a network trained on all the data"), tr("images"), false);
    m_plot->setObjectName(QStringLiteral("selectionHistogram"));
    m_plot->setToolTip(tr("How hard each training image is, kept and dropped: the selection cuts each class at its own "
                          "share, so the two colours overlap where the classes differ"));
    m_keptBars = new QCPBars(m_plot->xAxis, m_plot->yAxis);
    m_keptBars->setName(tr("kept"));
    m_keptBars->setBrush(QColor(46, 125, 50, 170));
    m_keptBars->setPen(Qt::NoPen);
    m_droppedBars = new QCPBars(m_plot->xAxis, m_plot->yAxis);
    m_droppedBars->setName(tr("dropped"));
    m_droppedBars->setBrush(QColor(198, 40, 40, 170));
    m_droppedBars->setPen(Qt::NoPen);
    m_droppedBars->moveAbove(m_keptBars); // stacked: each bin's height is all its images
    m_plot->legend->setVisible(true);
    placeLegendBelow(m_plot);
    m_plot->setMinimumHeight(220);
    layout->addWidget(m_plot, 1);

    layout->addWidget(new QLabel(tr("Kept (left) and dropped (right), one row per class; dropped: the first to go"), this));
    m_examples = new QLabel(this);
    m_examples->setObjectName(QStringLiteral("selectionExamples"));
    m_examples->setToolTip(tr("Kept images spread over the kept order; dropped images from the head of the drop order"));
    m_examples->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    layout->addWidget(m_examples);
    clear();
}

void SelectionPanel::clear()
{
    m_summary->setText(tr("A run that selects its data (Data → Selection) shows here which images it kept."));
    m_keptBars->data()->clear();
    m_droppedBars->data()->clear();
    m_plot->setVisible(false);
    m_examples->clear();
    m_examplesGrid = QSize();
    m_plot->replot();
}

void SelectionPanel::setSelection(const std::optional<core::RunSelection>& selection)
{
    clear();
    if (!selection) {
        m_summary->setText(tr("This run draws from every training image (no data selection)."));
        return;
    }
    const core::RunSelection& s = *selection;
    const auto total = static_cast<qint64>(s.labels.size());
    m_summary->setText(tr("Kept %1 of %2 training images: %3.")
                           .arg(static_cast<qint64>(s.kept.size()))
                           .arg(total)
                           .arg(ruleInWords(s)));
    if (!s.scores.empty()) {
        std::vector<char> kept(s.labels.size(), 0);
        for (const auto i : s.kept)
            kept[static_cast<std::size_t>(i)] = 1;
        // Log scale: losses span from about 1e-6 (certain) to 10 (confidently wrong).
        std::vector<double> logs(s.scores.size());
        for (std::size_t i = 0; i < logs.size(); ++i)
            logs[i] = std::log10(std::max(1e-6, static_cast<double>(s.scores[i])));
        const auto [low, high] = std::minmax_element(logs.begin(), logs.end());
        const double width = std::max(1e-9, (*high - *low) / kBins);
        QVector<double> centres(kBins), keptCounts(kBins, 0), droppedCounts(kBins, 0);
        for (int b = 0; b < kBins; ++b)
            centres[b] = *low + (b + 0.5) * width;
        for (std::size_t i = 0; i < logs.size(); ++i) {
            const int b = std::min(kBins - 1, static_cast<int>((logs[i] - *low) / width));
            (kept[i] ? keptCounts : droppedCounts)[b] += 1;
        }
        m_keptBars->setWidth(width);
        m_droppedBars->setWidth(width);
        m_keptBars->setData(centres, keptCounts);
        m_droppedBars->setData(centres, droppedCounts);
        m_plot->rescaleAxes();
        m_plot->yAxis->setRangeLower(0);
        m_plot->setVisible(true);
        m_plot->replot();
    }
    m_examples->setPixmap(QPixmap::fromImage(examplesImage(s, m_examplesGrid, font())));
}

QString SelectionPanel::summary() const
{
    return m_summary->text();
}

std::pair<double, double> SelectionPanel::histogramTotals() const
{
    double kept = 0, dropped = 0;
    for (auto it = m_keptBars->data()->constBegin(); it != m_keptBars->data()->constEnd(); ++it)
        kept += it->value;
    for (auto it = m_droppedBars->data()->constBegin(); it != m_droppedBars->data()->constEnd(); ++it)
        dropped += it->value;
    return {kept, dropped};
}

QSize SelectionPanel::examplesGrid() const
{
    return m_examplesGrid;
}

} // namespace distillery::ui

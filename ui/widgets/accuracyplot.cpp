// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/accuracyplot.h"

#include "widgets/plotstyle.h"
#include "widgets/qcustomplot_include.h"

#include <cmath>

namespace distillery::ui {
namespace {

    constexpr double kHoverPixels = 12; // how close the pointer must be to a point to describe it

    struct SeriesStyle
    {
        QColor colour;
        QCPScatterStyle::ScatterShape shape;
        const char* name; // legend and the line beside the plot; translated where used
    };

    SeriesStyle styleOf(const std::string& subject)
    {
        if (subject == "synthetic")
            return {QColor(200, 70, 30), QCPScatterStyle::ssDisc, QT_TRANSLATE_NOOP("AccuracyPlot", "synthetic set")};
        if (subject == "synthetic, hard labels")
            return {QColor(40, 90, 180), QCPScatterStyle::ssTriangle, QT_TRANSLATE_NOOP("AccuracyPlot", "its hard labels")};
        if (subject == "synthetic, replayed steps")
            return {QColor(120, 40, 140), QCPScatterStyle::ssSquare, QT_TRANSLATE_NOOP("AccuracyPlot", "replayed steps")};
        if (subject == "synthetic, kernel regression")
            return {QColor(20, 130, 110), QCPScatterStyle::ssCross, QT_TRANSLATE_NOOP("AccuracyPlot", "kernel regression")};
        if (subject == "random real, kernel regression")
            return {QColor(140, 140, 140), QCPScatterStyle::ssCross,
                QT_TRANSLATE_NOOP("AccuracyPlot", "random real (kernel)")};
        return {QColor(110, 110, 110), QCPScatterStyle::ssDiamond, nullptr};
    }

    QString percent(double fraction)
    {
        return QStringLiteral("%1").arg(100.0 * fraction, 0, 'f', 1);
    }

} // namespace

AccuracyPlot::AccuracyPlot(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_plot = makePlot(this, tr("iteration"), tr("test accuracy (%)"), false);
    m_plot->setObjectName(QStringLiteral("accuracyPlot"));
    m_plot->yAxis->setRange(0, 100);
    placeLegendBelow(m_plot);
    m_plot->installEventFilter(this);
    series("synthetic");
    auto makeLine = [this](QCPItemStraightLine*& line, QCPItemText*& text, const QColor& colour) {
        line = new QCPItemStraightLine(m_plot);
        line->setPen(QPen(colour, 1.5, Qt::DashLine));
        line->setVisible(false);
        text = new QCPItemText(m_plot);
        text->setColor(colour);
        text->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
        text->position->setTypeX(QCPItemPosition::ptAxisRectRatio);
        text->setVisible(false);
    };
    makeLine(m_randomLine, m_randomText, QColor(90, 90, 90));
    makeLine(m_fullLine, m_fullText, QColor(30, 130, 60));

    m_latest = new QLabel(this);
    m_latest->setObjectName(QStringLiteral("latestAccuracy"));
    m_latest->setTextFormat(Qt::RichText);
    m_latest->setWordWrap(true); // never the widest thing on the right side
    QFont big = m_latest->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    m_latest->setFont(big);
    m_latest->setToolTip(tr("The latest evaluation: fresh networks trained on the synthetic set only, tested on the "
                            "real test split; mean ± std over n models"));
    m_scores = new QLabel(this);
    m_scores->setObjectName(QStringLiteral("ddRankingScores"));
    m_scores->setTextFormat(Qt::RichText);
    m_scores->setWordWrap(true);
    m_scores->setToolTip(tr("DD-Ranking's scores (docs/methods.md, \"Scores beside the accuracy\"), as fractions:\n"
                            "IOR, improvement over random: the set's accuracy minus a random real subset's of the same "
                            "size, same protocol (above 0: the distillation did something a random pick does not).\n"
                            "HLR, hard-label recovery: the full data's accuracy minus the set's with hard labels (lower "
                            "is better).\nThe label- and augmentation-robust scores (LRS, ARS) need four more "
                            "evaluations: distillery-cli eval RUN --scores."));
    auto* footer = new QHBoxLayout;
    m_protocol = new QLabel(this);
    m_protocol->setWordWrap(true);
    m_fullButton = new QPushButton(tr("Full-data accuracy"), this);
    m_fullButton->setToolTip(tr("Train on the whole real training set with the same protocol (minutes on a CPU)"));
    connect(m_fullButton, &QPushButton::clicked, this, &AccuracyPlot::fullDataRequested);
    footer->addWidget(m_protocol, 1);
    footer->addWidget(m_fullButton);
    layout->addWidget(m_latest);
    layout->addWidget(m_scores);
    layout->addWidget(m_plot, 1);
    layout->addLayout(footer);
    clear();
}

AccuracyPlot::Series& AccuracyPlot::series(const std::string& subject)
{
    auto it = m_series.find(subject);
    if (it != m_series.end())
        return it->second;
    const SeriesStyle style = styleOf(subject);
    Series s;
    s.graph = m_plot->addGraph();
    s.graph->setPen(QPen(style.colour, 2));
    s.graph->setScatterStyle(QCPScatterStyle(style.shape, 7));
    s.graph->setName(style.name ? tr(style.name) : QString::fromStdString(subject));
    s.bars = new QCPErrorBars(m_plot->xAxis, m_plot->yAxis);
    s.bars->setDataPlottable(s.graph);
    s.bars->setPen(QPen(style.colour));
    s.bars->removeFromLegend();
    fitLegendColumns(m_plot);
    return m_series.emplace(subject, s).first->second;
}

void AccuracyPlot::clear()
{
    for (auto& [subject, s] : m_series) {
        s.graph->data()->clear();
        s.bars->data()->clear();
        s.results.clear();
    }
    for (QCPAbstractItem* item : {static_cast<QCPAbstractItem*>(m_randomLine), static_cast<QCPAbstractItem*>(m_randomText),
             static_cast<QCPAbstractItem*>(m_fullLine), static_cast<QCPAbstractItem*>(m_fullText)})
        item->setVisible(false);
    m_random.reset();
    m_full.reset();
    m_plot->legend->setVisible(false);
    m_protocol->clear();
    updateLatest();
}

void AccuracyPlot::addEvaluation(const core::EvalResult& r)
{
    Series& s = series(r.subject);
    s.graph->addData(std::max(0, r.iteration), 100.0 * r.mean);
    s.bars->addData(100.0 * r.std);
    s.results.push_back(r);
    int shown = 0;
    for (const auto& [subject, other] : m_series)
        shown += !other.results.empty();
    m_plot->legend->setVisible(shown > 1);
    if (r.subject == "synthetic" || m_protocol->text().isEmpty())
        m_protocol->setText(tr("Protocol: %1, %2 epochs, %3, n = %4 models")
                                .arg(QString::fromStdString(r.model))
                                .arg(r.epochs)
                                .arg(r.augment == "dsa" ? tr("DSA augmentation") : tr("no augmentation"))
                                .arg(r.accuracies.size()));
    updateLatest();
}

void AccuracyPlot::updateLatest()
{
    QStringList lines;
    // The set under the standard protocol first, then the other kinds.
    std::vector<const std::pair<const std::string, Series>*> order;
    for (const auto& entry : m_series)
        if (!entry.second.results.empty())
            (entry.first == "synthetic" ? order.insert(order.begin(), &entry) : order.insert(order.end(), &entry));
    for (const auto* entry : order) {
        const core::EvalResult& r = entry->second.results.back();
        const QString what = entry->first == "synthetic" ? tr("test accuracy") : entry->second.graph->name();
        lines << tr("%1: <b>%2 ± %3 %</b> <small>(n = %4, iteration %5)</small>")
                     .arg(what, percent(r.mean), percent(r.std))
                     .arg(r.accuracies.size())
                     .arg(std::max(0, r.iteration));
    }
    m_latest->setText(lines.isEmpty() ? tr("test accuracy: <i>not evaluated yet</i>") : lines.join(QStringLiteral("<br>")));
    m_scores->setText(scoresText());
    m_scores->setVisible(!m_scores->text().isEmpty());
}

QString AccuracyPlot::scoresText() const
{
    const auto latest = [this](const char* subject) -> std::optional<double> {
        const auto it = m_series.find(subject);
        if (it == m_series.end() || it->second.results.empty())
            return std::nullopt;
        return it->second.results.back().mean;
    };
    const std::optional<double> set = latest("synthetic");
    if (!set)
        return {};
    QStringList parts;
    if (m_random) {
        const double ior = *set - *m_random;
        parts << tr("IOR <b>%1%2</b>").arg(ior < 0 ? QStringLiteral("−") : QStringLiteral("+")).arg(std::abs(ior), 0, 'f', 3);
    } else {
        parts << tr("IOR: waiting for the random real baseline");
    }
    const double hard = latest("synthetic, hard labels").value_or(*set);
    if (m_full && m_fullMeasured)
        parts << tr("HLR <b>%1</b>").arg(*m_full - hard, 0, 'f', 3);
    else
        parts << tr("HLR: press Full-data accuracy");
    return QStringLiteral("<small>%1</small>").arg(parts.join(QStringLiteral(" · ")));
}

void AccuracyPlot::setReference(QCPItemStraightLine* line, QCPItemText* text, double accuracy, const QString& label)
{
    line->point1->setCoords(0, 100.0 * accuracy);
    line->point2->setCoords(1, 100.0 * accuracy);
    line->setVisible(true);
    text->position->setCoords(0.01, 100.0 * accuracy);
    text->setText(label);
    text->setVisible(true);
}

void AccuracyPlot::setRandomBaseline(const core::EvalResult& r)
{
    m_random = r.mean;
    setReference(m_randomLine, m_randomText, r.mean,
        tr("random real, same IPC: %1 ± %2 %").arg(percent(r.mean), percent(r.std)));
    updateLatest();
}

void AccuracyPlot::setFullDataReference(double accuracy, const QString& note, bool measured)
{
    m_full = accuracy;
    m_fullMeasured = measured;
    setReference(m_fullLine, m_fullText, accuracy, tr("full data: %1 % (%2)").arg(percent(accuracy), note));
    updateLatest();
}

void AccuracyPlot::replot(double lastIteration)
{
    // Accuracy keeps its full scale, so gains are not exaggerated, and shares the iteration axis of the loss with
    // a margin, so the last evaluation point is not drawn on the border.
    double last = std::max(1.0, lastIteration);
    for (const auto& [subject, s] : m_series)
        if (!s.graph->data()->isEmpty())
            last = std::max(last, (s.graph->data()->constEnd() - 1)->key);
    m_plot->yAxis->setRange(0, 100);
    m_plot->xAxis->setRange(0, last * 1.04);
    m_plot->replot(QCustomPlot::rpRefreshHint);
}

int AccuracyPlot::pointCount(const std::string& subject) const
{
    const auto it = m_series.find(subject);
    return it == m_series.end() ? 0 : static_cast<int>(it->second.results.size());
}

QWidget* AccuracyPlot::plotWidget() const
{
    return m_plot;
}

QString AccuracyPlot::latestText() const
{
    return m_latest->text();
}

QString AccuracyPlot::pointText(const std::string& subject, int index) const
{
    const core::EvalResult& r = m_series.at(subject).results.at(static_cast<std::size_t>(index));
    return tr("Iteration %1, %2\n%3")
        .arg(std::max(0, r.iteration))
        .arg(m_series.at(subject).graph->name(), QString::fromStdString(r.summary()));
}

QPoint AccuracyPlot::pointPosition(const std::string& subject, int index) const
{
    const core::EvalResult& r = m_series.at(subject).results.at(static_cast<std::size_t>(index));
    return QPointF(m_plot->xAxis->coordToPixel(std::max(0, r.iteration)), m_plot->yAxis->coordToPixel(100.0 * r.mean))
        .toPoint();
}

bool AccuracyPlot::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_plot && event->type() == QEvent::ToolTip) {
        const auto* help = static_cast<QHelpEvent*>(event);
        double best = kHoverPixels;
        QString text;
        for (const auto& [subject, s] : m_series)
            for (int i = 0; i < static_cast<int>(s.results.size()); ++i) {
                const double d = QLineF(help->pos(), pointPosition(subject, i)).length();
                if (d <= best) {
                    best = d;
                    text = pointText(subject, i);
                }
            }
        if (text.isEmpty())
            text = tr("Fresh networks trained on the synthetic set only, tested on the real test split: mean ± std "
                      "over the models. Dashed: the same protocol on a random real subset of the same size, and on the "
                      "full training set. Hover a point for its numbers.");
        QToolTip::showText(help->globalPos(), text, m_plot);
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

void AccuracyPlot::setCompact(bool compact)
{
    m_plot->setVisible(!compact);
    m_protocol->setVisible(!compact);
    m_fullButton->setVisible(!compact);
    // Compact, it takes only the height of its numbers, and the plots above get the rest.
    setMaximumHeight(compact ? m_latest->sizeHint().height() * 3 : QWIDGETSIZE_MAX);
}

void AccuracyPlot::setTextScale(double scale)
{
    scalePlotFonts(m_plot, scale);
    QFont big = QApplication::font();
    big.setPointSizeF(big.pointSizeF() * 1.3 * scale);
    m_latest->setFont(big);
}

} // namespace distillery::ui

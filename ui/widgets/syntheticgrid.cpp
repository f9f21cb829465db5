// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/syntheticgrid.h"

#include "controller/snapshotimage.h"
#include "widgets/labelbars.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>

namespace distillery::ui {
namespace {

    constexpr int kGap = 1; // must match gridImage()'s gap
    constexpr int kMaxZoom = 32;
    constexpr int kLabelPadding = 8;

} // namespace

SyntheticGrid::SyntheticGrid(QWidget* parent)
    : QWidget(parent)
{
    setToolTip(tr("The synthetic set: one row per class. Click an image to see it large next to its starting "
                  "image; Ctrl + mouse wheel zooms."));
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
}

void SyntheticGrid::setSnapshot(const core::Snapshot& snapshot, const QImage& grid)
{
    if (snapshot.iteration == 0 || m_initial.images.count == 0 || snapshot.iteration < m_snapshot.iteration)
        m_initial = snapshot;
    m_snapshot = snapshot;
    m_pixmap = QPixmap::fromImage(grid);
    updateGeometryHint();
    update();
}

void SyntheticGrid::clear()
{
    m_snapshot = {};
    m_initial = {};
    m_pixmap = {};
    updateGeometryHint();
    update();
}

int SyntheticGrid::rows() const
{
    return static_cast<int>(m_snapshot.classNames.size());
}

int SyntheticGrid::columns() const
{
    if (m_snapshot.images.count == 0)
        return 0;
    std::vector<int> perClass(m_snapshot.classNames.size(), 0);
    for (auto label : m_snapshot.labels)
        ++perClass[static_cast<std::size_t>(label)];
    return *std::max_element(perClass.begin(), perClass.end());
}

void SyntheticGrid::setZoom(int zoom)
{
    zoom = std::clamp(zoom, 1, kMaxZoom);
    if (zoom == m_zoom)
        return;
    m_zoom = zoom;
    updateGeometryHint();
    update();
    Q_EMIT zoomChanged(zoom);
}

int SyntheticGrid::labelWidth() const
{
    int width = 0;
    for (const auto& name : m_snapshot.classNames)
        width = std::max(width, fontMetrics().horizontalAdvance(QString::fromStdString(name)));
    return width + 2 * kLabelPadding;
}

void SyntheticGrid::updateGeometryHint()
{
    setMinimumSize(sizeHint());
    // In a scroll area that does not resize it, the widget keeps its old size otherwise: a grid that shrank to fit
    // would still show scroll bars.
    resize(sizeHint());
    updateGeometry();
}

int SyntheticGrid::zoomToFit(const QSize& area) const
{
    if (m_pixmap.isNull())
        return m_zoom;
    // sizeHint(): the class names (not zoomed), the pixmap × zoom, and 8 pixels of margin.
    const int byWidth = (area.width() - labelWidth() - 8) / m_pixmap.width();
    const int byHeight = (area.height() - 8) / m_pixmap.height();
    return std::clamp(std::min(byWidth, byHeight), 1, kMaxZoom);
}

QSize SyntheticGrid::sizeHint() const
{
    if (m_pixmap.isNull())
        return {320, 240};
    return {labelWidth() + m_pixmap.width() * m_zoom + 8, m_pixmap.height() * m_zoom + 8};
}

void SyntheticGrid::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    if (m_pixmap.isNull()) {
        painter.drawText(rect(), Qt::AlignCenter, tr("Press Start to distil: the synthetic images appear here."));
        return;
    }
    const int left = labelWidth();
    const auto& im = m_snapshot.images;
    for (int row = 0; row < rows(); ++row) {
        const int top = row * rowPitch() * m_zoom;
        painter.drawText(QRect(0, top, left - kLabelPadding, im.height * m_zoom), Qt::AlignRight | Qt::AlignVCenter,
            QString::fromStdString(m_snapshot.classNames[static_cast<std::size_t>(row)]));
    }
    // No smoothing: every synthetic pixel stays a crisp square at any zoom.
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
    painter.drawPixmap(QRect(left, 0, m_pixmap.width() * m_zoom, m_pixmap.height() * m_zoom), m_pixmap);
    if (m_snapshot.hasSoftLabels()) {
        const int classes = static_cast<int>(m_snapshot.classNames.size());
        for (int i = 0; i < im.count; ++i) {
            const QRect image = imageRect(i);
            const QRect band(image.left(), image.bottom() + 1, image.width(), labelBandHeight(m_snapshot) * m_zoom);
            paintLabelBars(painter, band, m_snapshot.softLabels.data() + static_cast<std::size_t>(i) * classes, classes,
                static_cast<int>(m_snapshot.labels[static_cast<std::size_t>(i)]));
        }
    }
}

int SyntheticGrid::rowPitch() const
{
    return m_snapshot.images.height + labelBandHeight(m_snapshot) + kGap;
}

QRect SyntheticGrid::labelBarsRect(int index) const
{
    const QRect image = imageRect(index);
    if (image.isNull() || !m_snapshot.hasSoftLabels())
        return {};
    return {image.left(), image.bottom() + 1, image.width(), labelBandHeight(m_snapshot) * m_zoom};
}

bool SyntheticGrid::event(QEvent* event)
{
    // With learned labels, hovering an image says in words what its bars show.
    if (event->type() == QEvent::ToolTip && m_snapshot.hasSoftLabels()) {
        const auto* help = static_cast<QHelpEvent*>(event);
        const int index = imageAt(help->pos());
        if (index >= 0) {
            const auto classes = m_snapshot.classNames.size();
            QToolTip::showText(help->globalPos(),
                tr("Learned label: %1").arg(labelSummary(m_snapshot.softLabels.data() + static_cast<std::size_t>(index) * classes,
                    m_snapshot.classNames)),
                this);
            return true;
        }
    }
    return QWidget::event(event);
}

int SyntheticGrid::imageAt(const QPoint& position) const
{
    const auto& im = m_snapshot.images;
    if (im.count == 0)
        return -1;
    const int x = position.x() - labelWidth();
    const int y = position.y();
    if (x < 0 || y < 0)
        return -1;
    const int cellW = (im.width + kGap) * m_zoom, cellH = rowPitch() * m_zoom;
    const int column = x / cellW, row = y / cellH;
    if (x % cellW >= im.width * m_zoom || y % cellH >= (rowPitch() - kGap) * m_zoom)
        return -1; // on a gap (an image's label bars count as the image)
    for (int i = 0; i < im.count; ++i) {
        const GridCell cell = gridCell(m_snapshot, i);
        if (cell.row == row && cell.column == column)
            return i;
    }
    return -1;
}

QRect SyntheticGrid::imageRect(int index) const
{
    const auto& im = m_snapshot.images;
    if (index < 0 || index >= im.count)
        return {};
    const GridCell cell = gridCell(m_snapshot, index);
    return {labelWidth() + cell.column * (im.width + kGap) * m_zoom, cell.row * rowPitch() * m_zoom, im.width * m_zoom,
        im.height * m_zoom};
}

void SyntheticGrid::mousePressEvent(QMouseEvent* event)
{
    const int index = imageAt(event->position().toPoint());
    if (index >= 0)
        Q_EMIT imageClicked(index);
    QWidget::mousePressEvent(event);
}

void SyntheticGrid::wheelEvent(QWheelEvent* event)
{
    if (event->modifiers() & Qt::ControlModifier) {
        setZoom(m_zoom + (event->angleDelta().y() > 0 ? 1 : -1));
        Q_EMIT zoomedByWheel(m_zoom);
        event->accept();
        return;
    }
    QWidget::wheelEvent(event);
}

} // namespace distillery::ui

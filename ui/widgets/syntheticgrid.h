// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/snapshot.h>

#include <QImage>
#include <QPixmap>
#include <QWidget>

namespace distillery::ui {

/// The synthetic set as one row per class (with its name) and one column per image, scaled with crisp
/// nearest-neighbour pixels; with learned labels, each image has its label distribution as bars underneath. Ctrl + wheel zooms; a click on an image asks to open it large.
class SyntheticGrid final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SyntheticGrid)

public:
    explicit SyntheticGrid(QWidget* parent = nullptr);

    /// `grid` is gridImage(snapshot), made by the worker thread.
    void setSnapshot(const distillery::core::Snapshot& snapshot, const QImage& grid);
    void clear();

    const distillery::core::Snapshot& snapshot() const { return m_snapshot; }
    /// The set as it was before the first iteration (the starting image of each synthetic image).
    const distillery::core::Snapshot& initialSnapshot() const { return m_initial; }
    int displayedImages() const { return m_snapshot.images.count; }
    int rows() const;
    int columns() const;

    int zoom() const { return m_zoom; }
    /// The largest whole-pixel zoom at which the grid, with its class names, fits `area` (at least 1).
    int zoomToFit(const QSize& area) const;
    void setZoom(int zoom);
    /// The image index under a widget position, or -1.
    int imageAt(const QPoint& position) const;
    /// Where image `index` is drawn, in widget coordinates.
    QRect imageRect(int index) const;
    /// Where its learned label's bars are drawn (just under the image); empty for hard labels.
    QRect labelBarsRect(int index) const;
    QSize sizeHint() const override;

Q_SIGNALS:
    void imageClicked(int index);
    void zoomChanged(int zoom);
    /// Ctrl + wheel changed the zoom: a choice of the user's.
    void zoomedByWheel(int zoom);

protected:
    bool event(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;

private:
    int labelWidth() const;
    /// Image rows from one class row to the next: the image, its label bars (soft labels) and the gap.
    int rowPitch() const;
    void updateGeometryHint();

    distillery::core::Snapshot m_snapshot;
    distillery::core::Snapshot m_initial;
    QPixmap m_pixmap; // made from the worker's QImage on the GUI thread
    int m_zoom = 3;
};

} // namespace distillery::ui

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/snapshot.h>

#include <QDialog>
#include <QImage>

namespace distillery::ui {

/// An image drawn at the largest whole-pixel scale that fits the widget, centred: crisp at any window size.
class PixelView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PixelView)

public:
    explicit PixelView(QImage image, QWidget* parent = nullptr);
    /// Screen pixels per image pixel at the widget's size now (at least 1).
    int scale() const;
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QImage m_image;
};

/// One synthetic image, large and crisp, beside the image it started from (a real training image or noise). Both
/// grow with the window. Not modal: the run goes on and the window's shortcuts keep working (MainWindow adds them).
class ImageDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ImageDialog)

public:
    ImageDialog(const distillery::core::Snapshot& current, const distillery::core::Snapshot& initial, int index,
        QWidget* parent = nullptr);
};

} // namespace distillery::ui

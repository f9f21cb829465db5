// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "controller/snapshotimage.h"

#include <QPainter>

#include <algorithm>

namespace distillery::ui {

QImage toQImage(const core::ImageBatch8& batch, int index)
{
    const int h = batch.height, w = batch.width;
    const std::uint8_t* src = batch.data.data() + static_cast<std::size_t>(index) * batch.imageSize();
    if (batch.channels == 1) {
        QImage image(w, h, QImage::Format_Grayscale8);
        for (int y = 0; y < h; ++y)
            std::copy_n(src + static_cast<std::size_t>(y) * w, w, image.scanLine(y));
        return image;
    }
    QImage image(w, h, QImage::Format_RGB888);
    const std::size_t plane = static_cast<std::size_t>(h) * w;
    for (int y = 0; y < h; ++y) {
        uchar* line = image.scanLine(y);
        for (int x = 0; x < w; ++x)
            for (int c = 0; c < 3; ++c) // planar CHW → interleaved RGB
                line[3 * x + c] = src[c * plane + static_cast<std::size_t>(y) * w + x];
    }
    return image;
}

GridCell gridCell(const core::Snapshot& snapshot, int index)
{
    const auto label = snapshot.labels.at(static_cast<std::size_t>(index));
    int column = 0;
    for (int i = 0; i < index; ++i)
        column += snapshot.labels[static_cast<std::size_t>(i)] == label;
    return {static_cast<int>(label), column};
}

int labelBandHeight(const core::Snapshot& snapshot)
{
    return snapshot.hasSoftLabels() ? std::max(4, snapshot.images.height / 4) : 0;
}

QImage gridImage(const core::Snapshot& snapshot, int gap)
{
    const auto& images = snapshot.images;
    const int rows = static_cast<int>(snapshot.classNames.size());
    if (images.count == 0 || rows == 0)
        return {};
    std::vector<int> perClass(static_cast<std::size_t>(rows), 0);
    for (auto label : snapshot.labels)
        ++perClass[static_cast<std::size_t>(label)];
    const int columns = *std::max_element(perClass.begin(), perClass.end());
    const int rowPitch = images.height + labelBandHeight(snapshot) + gap;
    QImage grid(columns * (images.width + gap) - gap, rows * rowPitch - gap, QImage::Format_RGB888);
    grid.fill(QColor(48, 48, 48));
    QPainter painter(&grid);
    std::vector<int> placed(static_cast<std::size_t>(rows), 0);
    for (int i = 0; i < images.count; ++i) {
        const int row = static_cast<int>(snapshot.labels[static_cast<std::size_t>(i)]);
        const int column = placed[static_cast<std::size_t>(row)]++;
        painter.drawImage(column * (images.width + gap), row * rowPitch, toQImage(images, i));
    }
    return grid;
}

} // namespace distillery::ui

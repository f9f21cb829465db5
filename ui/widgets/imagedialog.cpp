// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/imagedialog.h"

#include "controller/snapshotimage.h"
#include "widgets/labelbars.h"

#include <QDialogButtonBox>
#include <QGridLayout>
#include <QLabel>
#include <QPainter>

#include <algorithm>

namespace distillery::ui {
namespace {

    constexpr int kLargeSide = 280; // the starting size of each image

} // namespace

PixelView::PixelView(QImage image, QWidget* parent)
    : QWidget(parent)
    , m_image(std::move(image))
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setMinimumSize(m_image.size());
}

int PixelView::scale() const
{
    if (m_image.isNull())
        return 1;
    return std::max(1, std::min(width() / m_image.width(), height() / m_image.height()));
}

QSize PixelView::sizeHint() const
{
    const int s = std::max(1, kLargeSide / std::max(1, m_image.width()));
    return m_image.size() * s;
}

void PixelView::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    const QSize size = m_image.size() * scale();
    const QRect target(QPoint((width() - size.width()) / 2, (height() - size.height()) / 2), size);
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false); // nearest neighbour: the pixels the network sees
    painter.drawImage(target, m_image);
}

ImageDialog::ImageDialog(const core::Snapshot& current, const core::Snapshot& initial, int index, QWidget* parent)
    : QDialog(parent)
{
    const auto label = current.labels.at(static_cast<std::size_t>(index));
    const QString className = QString::fromStdString(current.classNames.at(static_cast<std::size_t>(label)));
    const GridCell cell = gridCell(current, index);
    setWindowTitle(tr("%1, image %2").arg(className).arg(cell.column + 1));
    auto* layout = new QGridLayout(this);
    layout->addWidget(new QLabel(tr("Now (iteration %1)").arg(current.iteration), this), 0, 0, Qt::AlignCenter);
    auto* now = new PixelView(toQImage(current.images, index), this);
    now->setObjectName(QStringLiteral("currentImage"));
    layout->addWidget(now, 1, 0);
    const bool haveStart = initial.images.count == current.images.count;
    if (haveStart) {
        const auto source = initial.initIndices.empty() ? -1 : initial.initIndices.at(static_cast<std::size_t>(index));
        const QString startText = source >= 0 ? tr("Start: real training image #%1").arg(source) : tr("Start: noise");
        layout->addWidget(new QLabel(startText, this), 0, 1, Qt::AlignCenter);
        layout->addWidget(new PixelView(toQImage(initial.images, index), this), 1, 1);
    }
    int row = 2;
    if (current.hasSoftLabels()) {
        const auto classes = current.classNames.size();
        const float* probabilities = current.softLabels.data() + static_cast<std::size_t>(index) * classes;
        layout->addWidget(new QLabel(tr("Learned label (what training on this image teaches):"), this), row++, 0, 1, 2);
        auto* view = new LabelDistributionView(probabilities, current.classNames, static_cast<int>(label), this);
        view->setObjectName(QStringLiteral("labelDistribution"));
        layout->addWidget(view, row++, 0, 1, 2);
    }
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons, row, 0, 1, 2);
    layout->setRowStretch(1, 1); // the images take what the window grows by
}

} // namespace distillery::ui

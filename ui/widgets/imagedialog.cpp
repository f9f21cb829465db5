// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/imagedialog.h"

#include "controller/snapshotimage.h"
#include "widgets/labelbars.h"

#include <QDialogButtonBox>
#include <QGridLayout>
#include <QLabel>

namespace distillery::ui {
namespace {

    constexpr int kLargeSide = 280;

    QLabel* largeImage(const QImage& image, QWidget* parent)
    {
        auto* label = new QLabel(parent);
        const int scale = std::max(1, kLargeSide / std::max(1, image.width()));
        // FastTransformation = nearest neighbour: the pixels the network sees, not a blur of them.
        label->setPixmap(QPixmap::fromImage(image.scaled(image.size() * scale, Qt::KeepAspectRatio, Qt::FastTransformation)));
        label->setAlignment(Qt::AlignCenter);
        return label;
    }

} // namespace

ImageDialog::ImageDialog(const core::Snapshot& current, const core::Snapshot& initial, int index, QWidget* parent)
    : QDialog(parent)
{
    const auto label = current.labels.at(static_cast<std::size_t>(index));
    const QString className = QString::fromStdString(current.classNames.at(static_cast<std::size_t>(label)));
    const GridCell cell = gridCell(current, index);
    setWindowTitle(tr("%1, image %2").arg(className).arg(cell.column + 1));
    auto* layout = new QGridLayout(this);
    layout->addWidget(new QLabel(tr("Now (iteration %1)").arg(current.iteration), this), 0, 0, Qt::AlignCenter);
    layout->addWidget(largeImage(toQImage(current.images, index), this), 1, 0);
    const bool haveStart = initial.images.count == current.images.count;
    if (haveStart) {
        const auto source = initial.initIndices.empty() ? -1 : initial.initIndices.at(static_cast<std::size_t>(index));
        const QString startText = source >= 0 ? tr("Start: real training image #%1").arg(source) : tr("Start: noise");
        layout->addWidget(new QLabel(startText, this), 0, 1, Qt::AlignCenter);
        layout->addWidget(largeImage(toQImage(initial.images, index), this), 1, 1);
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
}

} // namespace distillery::ui

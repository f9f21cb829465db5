// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/snapshot.h>

#include <QDialog>

namespace distillery::ui {

/// One synthetic image, large and crisp, beside the image it started from (a real training image or noise).
class ImageDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ImageDialog)

public:
    ImageDialog(const distillery::core::Snapshot& current, const distillery::core::Snapshot& initial, int index,
        QWidget* parent = nullptr);
};

} // namespace distillery::ui

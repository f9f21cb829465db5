// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/imagebatch.h>
#include <distillery/snapshot.h>

#include <QImage>

namespace distillery::ui {

/// Image `index` of a batch as an 8-bit QImage (grey or RGB). Safe off the GUI thread.
QImage toQImage(const core::ImageBatch8& batch, int index);

/// Where image `index` of a snapshot sits in its grid: row = class, column = its place within the class.
struct GridCell
{
    int row = 0;
    int column = 0;
};
GridCell gridCell(const core::Snapshot& snapshot, int index);

/// Rows of image pixels left free under each image for its learned label's bars (0 for hard labels): a quarter of
/// the image height, at least 4.
int labelBandHeight(const core::Snapshot& snapshot);

/// The whole grid at one pixel per pixel: one row per class, one column per image, `gap` pixels between cells and,
/// for soft labels, labelBandHeight() rows under each image (left empty: the widget draws the bars at its own
/// resolution). Built by the worker (a QImage may be made off the GUI thread); the widget scales it crisply.
QImage gridImage(const core::Snapshot& snapshot, int gap = 1);

} // namespace distillery::ui

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// OpenCV pieces the image exports share (PNG grid, image folders, formation strips and animations). Only with OpenCV.
#pragma once

#ifdef DISTILLERY_HAVE_OPENCV

#include <distillery/imagebatch.h>

#include <opencv2/core.hpp>

#include <string>

namespace distillery::core {

/// Image i of the batch as an 8-bit OpenCV matrix in BGR (or grey) order, OpenCV's own (what imwrite expects).
cv::Mat toMat(const ImageBatch8& pixels, int i);

/// Writes `image` as a PNG, whole or not at all (formats/atomicfile.h). Throws Error naming `path`.
void writePngAtomically(const std::string& path, const cv::Mat& image);

} // namespace distillery::core

#endif

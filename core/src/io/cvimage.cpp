// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "io/cvimage.h"

#ifdef DISTILLERY_HAVE_OPENCV

#include "formats/atomicfile.h"

#include <distillery/error.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <vector>

namespace distillery::core {

cv::Mat toMat(const ImageBatch8& pixels, int i)
{
    const int h = pixels.height, w = pixels.width, c = pixels.channels;
    const std::uint8_t* src = pixels.data.data() + static_cast<std::size_t>(i) * pixels.imageSize();
    std::vector<cv::Mat> planes;
    for (int ch = 0; ch < c; ++ch)
        planes.emplace_back(h, w, CV_8UC1, const_cast<std::uint8_t*>(src + static_cast<std::size_t>(ch) * h * w));
    cv::Mat image;
    cv::merge(planes, image); // copies
    if (c == 3)
        cv::cvtColor(image, image, cv::COLOR_RGB2BGR);
    return image;
}

void writePngAtomically(const std::string& path, const cv::Mat& image)
{
    writeFileAtomically(path, [&](const std::string& temporary) {
        bool ok = false;
        try {
            ok = cv::imwrite(temporary, image);
        } catch (const cv::Exception& e) {
            throw Error(path + ": cannot write PNG (" + e.msg + ")");
        }
        if (!ok)
            throw Error(path + ": cannot write PNG");
    });
}

} // namespace distillery::core

#endif

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// PNG grid and ImageFolder export (docs/formats.md §7), written with OpenCV.
#include "io/cvimage.h"

#include <distillery/error.h>
#include <distillery/syntheticio.h>
#include <distillery/syntheticset.h>

#include <filesystem>
#include <fstream>

#ifdef DISTILLERY_HAVE_OPENCV
#include <opencv2/imgproc.hpp>
#endif

namespace distillery::core {

bool hasImageSupport()
{
#ifdef DISTILLERY_HAVE_OPENCV
    return true;
#else
    return false;
#endif
}

bool hasNpzSupport()
{
#ifdef DISTILLERY_HAVE_LIBZIP
    return true;
#else
    return false;
#endif
}

#ifdef DISTILLERY_HAVE_OPENCV
namespace {

    /// "T-shirt/top" → "T-shirt_top": only [A-Za-z0-9._-] in file names; any other character (a whole UTF-8
    /// sequence) becomes one '_'.
    std::string sanitise(const std::string& name)
    {
        std::string out;
        for (char ch : name) {
            if ((static_cast<unsigned char>(ch) & 0xC0) == 0x80)
                continue; // continuation byte of a character already replaced
            const bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.'
                || ch == '_' || ch == '-';
            out.push_back(ok ? ch : '_');
        }
        return out;
    }

} // namespace

void saveGridPng(const SyntheticSet& set, const std::string& path, int scale)
{
    checkConsistent(set);
    const ImageBatch8 pixels = toDisplayPixels(set);
    scale = std::max(1, scale);
    std::vector<int> perClass(static_cast<std::size_t>(set.numClasses), 0);
    for (auto label : set.labels)
        ++perClass[static_cast<std::size_t>(label)];
    const int columns = std::max(1, *std::max_element(perClass.begin(), perClass.end()));
    const int gap = 1;
    const int cellH = pixels.height * scale, cellW = pixels.width * scale;
    cv::Mat grid(set.numClasses * (cellH + gap) - gap, columns * (cellW + gap) - gap,
        pixels.channels == 3 ? CV_8UC3 : CV_8UC1, cv::Scalar::all(255));
    std::vector<int> placed(static_cast<std::size_t>(set.numClasses), 0);
    for (int i = 0; i < pixels.count; ++i) {
        const auto row = static_cast<int>(set.labels[static_cast<std::size_t>(i)]);
        const int column = placed[static_cast<std::size_t>(row)]++;
        cv::Mat cell;
        cv::resize(toMat(pixels, i), cell, cv::Size(cellW, cellH), 0, 0, cv::INTER_NEAREST); // crisp pixels
        cell.copyTo(grid(cv::Rect(column * (cellW + gap), row * (cellH + gap), cellW, cellH)));
    }
    writePngAtomically(path, grid);
}

void saveImageFolder(const SyntheticSet& set, const std::string& dir)
{
    namespace fs = std::filesystem;
    checkConsistent(set);
    const ImageBatch8 pixels = toDisplayPixels(set);
    const int digits = std::max(2, static_cast<int>(std::to_string(set.numClasses - 1).size()));
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        throw Error(dir + ": cannot create folder (" + ec.message() + ")");
    std::ofstream classes(fs::path(dir) / "classes.txt");
    std::vector<std::string> folders;
    for (int c = 0; c < set.numClasses; ++c) {
        std::string index = std::to_string(c); // zero-padded, so the folders sort in class order
        index.insert(0, static_cast<std::size_t>(digits) - index.size(), '0');
        folders.push_back((fs::path(dir) / (index + "_" + sanitise(set.classNames[static_cast<std::size_t>(c)]))).string());
        fs::create_directories(folders.back(), ec);
        classes << c << '\t' << set.classNames[static_cast<std::size_t>(c)] << '\n';
    }
    std::vector<int> counter(static_cast<std::size_t>(set.numClasses), 0);
    for (int i = 0; i < pixels.count; ++i) {
        const auto label = set.labels[static_cast<std::size_t>(i)];
        const std::string name = std::to_string(label) + "_" + std::to_string(counter[static_cast<std::size_t>(label)]++) + ".png";
        writePngAtomically((fs::path(folders[static_cast<std::size_t>(label)]) / name).string(), toMat(pixels, i));
    }
}

#else

void saveGridPng(const SyntheticSet&, const std::string& path, int)
{
    throw Error(path + ": this build of Distillery has no OpenCV, so PNG export is unavailable");
}

void saveImageFolder(const SyntheticSet&, const std::string& dir)
{
    throw Error(dir + ": this build of Distillery has no OpenCV, so PNG export is unavailable");
}

#endif

} // namespace distillery::core

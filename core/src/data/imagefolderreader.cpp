// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// ImageFolder trees (docs/formats.md §7), decoded with OpenCV.
#include "data/dicomcheck.h"
#include "data/rawdataset.h"

#include <distillery/error.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#ifdef DISTILLERY_HAVE_OPENCV
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#endif

namespace fs = std::filesystem;

namespace distillery::core {

#ifdef DISTILLERY_HAVE_OPENCV
namespace {

    bool isImageFile(const fs::path& path)
    {
        std::string ext = path.extension().string();
        std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char ch) { return std::tolower(ch); });
        static const std::vector<std::string> kExtensions
            = {".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp", ".dcm"};
        return std::find(kExtensions.begin(), kExtensions.end(), ext) != kExtensions.end();
    }

    /// Sub-folders as classes, sorted by code point like Python's sorted(); hidden folders are not classes.
    std::vector<std::string> classFolders(const fs::path& root)
    {
        std::vector<std::string> names;
        for (const auto& entry : fs::directory_iterator(root)) {
            const std::string name = entry.path().filename().string();
            if (entry.is_directory() && !name.empty() && name[0] != '.')
                names.push_back(name);
        }
        std::sort(names.begin(), names.end());
        return names;
    }

    std::vector<fs::path> imageFiles(const fs::path& classDir)
    {
        std::vector<fs::path> files;
        for (const auto& entry : fs::recursive_directory_iterator(classDir, fs::directory_options::follow_directory_symlink)) {
            const std::string name = entry.path().filename().string();
            if (entry.is_regular_file() && !name.empty() && name[0] != '.' && isImageFile(entry.path()))
                files.push_back(entry.path());
        }
        std::sort(files.begin(), files.end());
        return files;
    }

    struct Decoded
    {
        std::vector<cv::Mat> images; // 8-bit, 1 or 3 channels (BGR), original size
        std::vector<std::int64_t> labels;
    };

    std::vector<std::uint8_t> readPlainFile(const fs::path& path)
    {
        std::ifstream in(path, std::ios::binary | std::ios::ate);
        if (!in)
            throw Error(path.string() + ": cannot open for reading");
        std::vector<std::uint8_t> bytes(static_cast<std::size_t>(in.tellg()));
        in.seekg(0);
        in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        if (!in)
            throw Error(path.string() + ": cannot read");
        return bytes;
    }

    /// OpenCV picks its decoder by the file's content, not its name: any file that carries the DICOM signature goes
    /// to GDCM, which must not see a malformed one (data/dicomcheck.h).
    void checkBeforeDecoding(const fs::path& path)
    {
        std::ifstream in(path, std::ios::binary);
        std::vector<std::uint8_t> bytes(132);
        in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        if (!looksLikeDicom(bytes.data(), static_cast<std::size_t>(in.gcount())))
            return;
        bytes = readPlainFile(path);
        checkDicom(bytes.data(), bytes.size(), path.string());
    }

    cv::Mat decode(const fs::path& path)
    {
        checkBeforeDecoding(path);
        cv::Mat image;
        try {
            image = cv::imread(path.string(), cv::IMREAD_UNCHANGED);
        } catch (const cv::Exception& e) {
            // OpenCV refuses images over 2^30 pixels (and some corrupt headers) by throwing its assertion text.
            const bool tooLarge = e.err.find("CV_IO_MAX_IMAGE_PIXELS") != std::string::npos;
            throw Error(path.string() + ": cannot decode this image ("
                + (tooLarge ? std::string("larger than 2^30 pixels, the most OpenCV decodes") : e.err) + ")");
        }
        if (image.empty())
            throw Error(path.string() + ": cannot read image (unknown format or corrupt file)");
        if (image.depth() == CV_16U) {
            // 16-bit grey (DICOM, PNG) often holds 10–12-bit data: scale each image by its own maximum, so a
            // 0…4095 X-ray becomes 0…255 instead of a black 0…15. Zero stays zero.
            double maxValue = 0;
            cv::minMaxLoc(image.reshape(1), nullptr, &maxValue);
            image.convertTo(image, CV_8U, maxValue > 0 ? 255.0 / maxValue : 1.0);
        }
        else if (image.depth() != CV_8U)
            throw Error(path.string() + ": unsupported pixel depth (only 8- and 16-bit images)");
        if (image.channels() == 4)
            cv::cvtColor(image, image, cv::COLOR_BGRA2BGR);
        else if (image.channels() != 1 && image.channels() != 3)
            throw Error(path.string() + ": unsupported channel count " + std::to_string(image.channels()));
        return image;
    }

    void decodeClass(const fs::path& classDir, std::int64_t label, Decoded& out)
    {
        const auto files = imageFiles(classDir);
        if (files.empty())
            throw Error(classDir.string() + ": found no image file for this class (.png, .jpg, .bmp, .tif, …)");
        for (const auto& file : files) {
            out.images.push_back(decode(file));
            out.labels.push_back(label);
        }
    }

    RawSplit pack(const Decoded& decoded, int channels, int height, int width)
    {
        const auto n = static_cast<std::int64_t>(decoded.images.size());
        RawSplit split;
        split.images = torch::empty({n, channels, height, width}, torch::kUInt8);
        auto* dst = split.images.data_ptr<std::uint8_t>();
        for (std::int64_t i = 0; i < n; ++i) {
            cv::Mat image = decoded.images[i];
            if (channels == 1 && image.channels() == 3)
                cv::cvtColor(image, image, cv::COLOR_BGR2GRAY);
            else if (channels == 3 && image.channels() == 1)
                cv::cvtColor(image, image, cv::COLOR_GRAY2RGB);
            else if (channels == 3)
                cv::cvtColor(image, image, cv::COLOR_BGR2RGB);
            if (image.rows != height || image.cols != width) {
                const bool shrinking = image.rows > height || image.cols > width;
                cv::resize(image, image, cv::Size(width, height), 0, 0, shrinking ? cv::INTER_AREA : cv::INTER_LINEAR);
            }
            // Interleaved HWC → planar CHW.
            std::vector<cv::Mat> planes;
            cv::split(image, planes);
            for (int c = 0; c < channels; ++c) {
                cv::Mat plane = planes[c].isContinuous() ? planes[c] : planes[c].clone();
                std::copy(plane.data, plane.data + height * width, dst);
                dst += static_cast<std::ptrdiff_t>(height) * width;
            }
        }
        split.labels = torch::from_blob(const_cast<std::int64_t*>(decoded.labels.data()), {n}, torch::kInt64).clone();
        return split;
    }

    /// Per class, hold out round(fraction · n) images (at least one stays in training), from a seeded shuffle.
    void splitSeeded(const Decoded& all, double fraction, std::uint64_t seed, Decoded& train, Decoded& test)
    {
        std::map<std::int64_t, std::vector<std::size_t>> byClass;
        for (std::size_t i = 0; i < all.labels.size(); ++i)
            byClass[all.labels[i]].push_back(i);
        std::mt19937_64 rng(seed);
        for (auto& [label, indices] : byClass) {
            std::shuffle(indices.begin(), indices.end(), rng);
            const auto n = static_cast<std::int64_t>(indices.size());
            const auto held = std::clamp<std::int64_t>(std::llround(fraction * n), 0, n - 1);
            std::sort(indices.begin(), indices.begin() + held); // keep file order inside each split
            std::sort(indices.begin() + held, indices.end());
            for (std::int64_t k = 0; k < n; ++k) {
                Decoded& target = k < held ? test : train;
                target.images.push_back(all.images[indices[k]]);
                target.labels.push_back(label);
            }
        }
    }

    /// The size every image is packed to: `requested` × `requested`, or with 0 the images' own size when they all
    /// share it, else the most common one. Adds a note whenever an image is resized.
    std::pair<int, int> packedSize(const Decoded& train, const Decoded& test, int requested, std::vector<std::string>& notes)
    {
        std::map<std::pair<int, int>, std::int64_t> sizes;
        for (const Decoded* d : {&train, &test})
            for (const cv::Mat& m : d->images)
                ++sizes[{m.rows, m.cols}];
        std::pair<int, int> target{requested, requested};
        if (requested == 0) {
            target = std::max_element(sizes.begin(), sizes.end(), [](const auto& a, const auto& b) {
                return a.second < b.second;
            })->first;
        }
        std::int64_t resized = 0;
        std::int64_t total = 0;
        for (const auto& [size, count] : sizes) {
            total += count;
            if (size != target)
                resized += count;
        }
        const std::string size = std::to_string(target.first) + "×" + std::to_string(target.second);
        if (resized > 0)
            notes.push_back("resized " + std::to_string(resized) + " of " + std::to_string(total) + " images to " + size
                + (requested == 0 ? " (the most common size; data.imageSize chooses another)" : " (data.imageSize)"));
        return target;
    }

} // namespace

RawDataset readImageFolder(const std::string& dir, const DataConfig& config)
{
    const fs::path root(dir);
    std::error_code ec;
    if (!fs::is_directory(root, ec))
        throw Error(dir + ": folder not found");
    if (config.imageSize != 0 && (config.imageSize < 8 || config.imageSize > 512))
        throw Error("data.imageSize: " + std::to_string(config.imageSize) + " is outside 8…512 (0 keeps the images' size)");
    if (config.color != "auto" && config.color != "grey" && config.color != "colour")
        throw Error("color: \"" + config.color + "\" is not grey, colour or auto");

    RawDataset raw;
    raw.name = root.filename().empty() ? root.parent_path().filename().string() : root.filename().string();
    raw.source = "folder:" + dir;

    Decoded train;
    Decoded test;
    const bool presplit = fs::is_directory(root / "train", ec) && fs::is_directory(root / "test", ec);
    const fs::path classRoot = presplit ? root / "train" : root;
    raw.classNames = classFolders(classRoot);
    if (raw.classNames.empty())
        throw Error(classRoot.string() + ": no class sub-folders (expected one folder of images per class)");

    if (presplit) {
        for (std::size_t c = 0; c < raw.classNames.size(); ++c) {
            decodeClass(root / "train" / raw.classNames[c], static_cast<std::int64_t>(c), train);
            if (fs::is_directory(root / "test" / raw.classNames[c], ec))
                decodeClass(root / "test" / raw.classNames[c], static_cast<std::int64_t>(c), test);
        }
        for (const auto& name : classFolders(root / "test"))
            if (std::find(raw.classNames.begin(), raw.classNames.end(), name) == raw.classNames.end())
                throw Error((root / "test" / name).string() + ": test class missing from " + (root / "train").string());
    } else {
        if (config.testFraction < 0.0 || config.testFraction >= 1.0)
            throw Error("testFraction: " + std::to_string(config.testFraction) + " is outside [0, 1)");
        Decoded all;
        for (std::size_t c = 0; c < raw.classNames.size(); ++c)
            decodeClass(root / raw.classNames[c], static_cast<std::int64_t>(c), all);
        splitSeeded(all, config.testFraction, config.splitSeed, train, test);
    }

    int channels = 3;
    if (config.color == "grey") {
        channels = 1;
    } else if (config.color == "auto") {
        auto isGrey = [](const cv::Mat& m) { return m.channels() == 1; };
        channels = std::all_of(train.images.begin(), train.images.end(), isGrey)
                && std::all_of(test.images.begin(), test.images.end(), isGrey)
            ? 1
            : 3;
    }
    const auto [height, width] = packedSize(train, test, config.imageSize, raw.notes);
    raw.train = pack(train, channels, height, width);
    raw.test = pack(test, channels, height, width);
    return raw; // normalisation is computed on the training split (no reference constants)
}

#else

RawDataset readImageFolder(const std::string& dir, const DataConfig&)
{
    throw Error("folder:" + dir + ": this build of Distillery has no OpenCV, so image folders cannot be read");
}

#endif

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// IDX files of the MNIST family (docs/formats.md §1, §2).
#include "data/filebytes.h"
#include "data/rawdataset.h"

#include <distillery/error.h>

#include <filesystem>
#include <fstream>

namespace distillery::core {
namespace {

    constexpr std::uint8_t kTypeUint8 = 0x08;

    struct IdxArray
    {
        std::vector<std::int64_t> dims;
        std::vector<std::uint8_t> bytes; // whole file, payload starts at `offset`
        std::size_t offset = 0;
    };

    IdxArray readIdx(const std::string& path, int expectedDims)
    {
        IdxArray idx;
        idx.bytes = readFileBytes(path);
        const auto& b = idx.bytes;
        if (b.size() < 4)
            throw Error(path + ": truncated IDX file (" + std::to_string(b.size()) + " bytes, no header)");
        if (b[0] != 0 || b[1] != 0)
            throw Error(path + ": not an IDX file (wrong magic: first two bytes must be zero)");
        if (b[2] != kTypeUint8)
            throw Error(path + ": unsupported IDX element type 0x" + std::to_string(b[2]) + " (only uint8, 0x08)");
        if (b[3] != expectedDims)
            throw Error(path + ": wrong IDX magic: " + std::to_string(b[3]) + " dimensions, expected "
                + std::to_string(expectedDims) + (expectedDims == 3 ? " (an images file)" : " (a labels file)"));
        idx.offset = 4 + 4 * static_cast<std::size_t>(expectedDims);
        if (b.size() < idx.offset)
            throw Error(path + ": truncated IDX header");
        // Each dimension < 2^32: the product of three fits in 64 bits only when checked.
        std::uint64_t payload = 1;
        for (int i = 0; i < expectedDims; ++i) {
            idx.dims.push_back(readBigEndian32(b.data() + 4 + 4 * i));
            if (__builtin_mul_overflow(payload, static_cast<std::uint64_t>(idx.dims.back()), &payload))
                throw Error(path + ": IDX header promises more data than any file can hold (a corrupt header)");
        }
        const std::uint64_t expected = idx.offset + payload;
        if (expected < payload)
            throw Error(path + ": IDX header promises more data than any file can hold (a corrupt header)");
        if (b.size() < expected)
            throw Error(path + ": truncated IDX data (" + std::to_string(b.size()) + " bytes, header promises "
                + std::to_string(expected) + ")");
        if (b.size() > expected)
            throw Error(path + ": " + std::to_string(b.size() - expected) + " unexpected bytes after the IDX data");
        return idx;
    }

    RawSplit readSplit(const std::string& dir, const std::string& prefix)
    {
        const std::string imagesPath = findFirstExisting(dir,
            {prefix + "-images-idx3-ubyte.gz", prefix + "-images-idx3-ubyte", prefix + "-images.idx3-ubyte.gz",
                prefix + "-images.idx3-ubyte"});
        const std::string labelsPath = findFirstExisting(dir,
            {prefix + "-labels-idx1-ubyte.gz", prefix + "-labels-idx1-ubyte", prefix + "-labels.idx1-ubyte.gz",
                prefix + "-labels.idx1-ubyte"});
        if (imagesPath.empty())
            throw Error(dir + ": missing " + prefix + "-images-idx3-ubyte(.gz)");
        if (labelsPath.empty())
            throw Error(dir + ": missing " + prefix + "-labels-idx1-ubyte(.gz)");

        const IdxArray images = readIdx(imagesPath, 3);
        const IdxArray labels = readIdx(labelsPath, 1);
        if (images.dims[0] != labels.dims[0])
            throw Error(labelsPath + ": " + std::to_string(labels.dims[0]) + " labels for "
                + std::to_string(images.dims[0]) + " images in " + imagesPath);
        if (images.dims[1] == 0 || images.dims[2] == 0)
            throw Error(imagesPath + ": images of size zero");

        RawSplit split;
        split.images = torch::from_blob(const_cast<std::uint8_t*>(images.bytes.data() + images.offset),
            {images.dims[0], 1, images.dims[1], images.dims[2]}, torch::kUInt8)
                           .clone();
        split.labels = torch::from_blob(const_cast<std::uint8_t*>(labels.bytes.data() + labels.offset),
            {labels.dims[0]}, torch::kUInt8)
                           .to(torch::kInt64);
        split.labelsFile = labelsPath;
        return split;
    }

    std::vector<std::string> readClassNamesFile(const std::string& dir)
    {
        std::vector<std::string> names;
        std::ifstream in(std::filesystem::path(dir) / "classes.txt");
        std::string line;
        while (std::getline(in, line)) {
            while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
                line.pop_back();
            if (!line.empty())
                names.push_back(line);
        }
        return names;
    }

} // namespace

RawDataset readIdxFolder(const std::string& dir)
{
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        throw Error(dir + ": folder not found");
    RawDataset raw;
    raw.name = std::filesystem::path(dir).filename().string();
    if (raw.name.empty())
        raw.name = "IDX";
    raw.source = "idx:" + dir;
    raw.train = readSplit(dir, "train");
    raw.test = readSplit(dir, "t10k");
    raw.classNames = readClassNamesFile(dir);
    if (raw.classNames.empty()) {
        // No names given: the class count is what the labels say.
        const std::int64_t classes = classCountFromLabels(raw);
        for (std::int64_t c = 0; c < classes; ++c)
            raw.classNames.push_back(std::to_string(c));
    }
    return raw;
}

RawDataset readFashionMnist(const std::string& dir)
{
    RawDataset raw = readIdxFolder(dir);
    raw.name = "Fashion-MNIST";
    raw.source = "fashion-mnist";
    raw.classNames
        = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};
    // Reference constants (docs/methods.md §1.2) keep numbers comparable with published ones.
    raw.mean = {0.2861f};
    raw.std = {0.3530f};
    return raw;
}

} // namespace distillery::core

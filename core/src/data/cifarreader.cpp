// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// CIFAR-10 / CIFAR-100 binary batches (docs/formats.md §3). Records are planar RGB (CHW), which is our layout.
#include "data/filebytes.h"
#include "data/rawdataset.h"

#include <distillery/error.h>

#include <filesystem>
#include <fstream>

namespace distillery::core {
namespace {

    constexpr std::int64_t kPixels = 3 * 32 * 32;

    void appendRecords(const std::string& path, bool cifar100, std::vector<std::uint8_t>& pixels,
        std::vector<std::int64_t>& labels)
    {
        const std::int64_t recordSize = (cifar100 ? 2 : 1) + kPixels;
        const std::vector<std::uint8_t> bytes = readFileBytes(path);
        if (bytes.empty() || bytes.size() % recordSize != 0)
            throw Error(path + ": size " + std::to_string(bytes.size()) + " is not a multiple of the "
                + std::to_string(recordSize) + "-byte CIFAR-" + (cifar100 ? "100" : "10") + " record (truncated?)");
        const std::size_t records = bytes.size() / recordSize;
        const int classes = cifar100 ? 100 : 10;
        for (std::size_t r = 0; r < records; ++r) {
            const std::uint8_t* record = bytes.data() + r * recordSize;
            // CIFAR-100 records carry the coarse label first; we distil the 100 fine classes.
            const int label = cifar100 ? record[1] : record[0];
            if (label >= classes)
                throw Error(path + ": record " + std::to_string(r) + " has label " + std::to_string(label)
                    + ", outside 0…" + std::to_string(classes - 1));
            labels.push_back(label);
            const std::uint8_t* image = record + (cifar100 ? 2 : 1);
            pixels.insert(pixels.end(), image, image + kPixels);
        }
    }

    RawSplit readFiles(const std::string& dir, const std::vector<std::string>& names, bool cifar100)
    {
        std::vector<std::uint8_t> pixels;
        std::vector<std::int64_t> labels;
        for (const auto& name : names) {
            const auto path = (std::filesystem::path(dir) / name).string();
            appendRecords(path, cifar100, pixels, labels);
        }
        RawSplit split;
        const auto n = static_cast<std::int64_t>(labels.size());
        split.images = torch::from_blob(pixels.data(), {n, 3, 32, 32}, torch::kUInt8).clone();
        split.labels = torch::from_blob(labels.data(), {n}, torch::kInt64).clone();
        return split;
    }

    /// Names from the archive's text file; `fallback` when it is missing or has the wrong count.
    std::vector<std::string> readNames(const std::string& path, std::vector<std::string> fallback)
    {
        std::vector<std::string> names;
        std::ifstream in(path);
        std::string line;
        while (std::getline(in, line)) {
            while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
                line.pop_back();
            if (!line.empty()) // name files may end with blank lines
                names.push_back(line);
        }
        return names.size() == fallback.size() ? names : fallback;
    }

    std::vector<std::string> numberedNames(int count)
    {
        std::vector<std::string> names;
        for (int c = 0; c < count; ++c)
            names.push_back(std::to_string(c));
        return names;
    }

} // namespace

RawDataset readCifar(const std::string& dir, bool cifar100)
{
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        throw Error(dir + ": folder not found");
    RawDataset raw;
    raw.source = std::string(cifar100 ? "cifar100:" : "cifar10:") + dir;
    if (cifar100) {
        raw.name = "CIFAR-100";
        raw.train = readFiles(dir, {"train.bin"}, true);
        raw.test = readFiles(dir, {"test.bin"}, true);
        raw.classNames = readNames((std::filesystem::path(dir) / "fine_label_names.txt").string(), numberedNames(100));
        raw.mean = {0.5071f, 0.4866f, 0.4409f};
        raw.std = {0.2673f, 0.2564f, 0.2762f};
    } else {
        raw.name = "CIFAR-10";
        raw.train = readFiles(dir,
            {"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"},
            false);
        raw.test = readFiles(dir, {"test_batch.bin"}, false);
        raw.classNames = readNames((std::filesystem::path(dir) / "batches.meta.txt").string(),
            {"airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"});
        raw.mean = {0.4914f, 0.4822f, 0.4465f};
        raw.std = {0.2023f, 0.1994f, 0.2010f};
    }
    return raw;
}

} // namespace distillery::core

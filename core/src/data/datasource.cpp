// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/dataset.h"
#include "data/filebytes.h"
#include "data/rawdataset.h"
#include "formats/crc32.h"
#include "util/torchutil.h"

#include <distillery/augment.h>
#include <distillery/datasets.h>
#include <distillery/error.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#ifndef DISTILLERY_FASHION_MNIST_DIR
#define DISTILLERY_FASHION_MNIST_DIR "/usr/share/datasets/fashion-mnist"
#endif

namespace distillery::core {
namespace {

    /// "idx:/data/mnist" → {"idx", "/data/mnist"}; "fashion-mnist" → {"fashion-mnist", ""}
    std::pair<std::string, std::string> splitSource(const std::string& source)
    {
        const auto colon = source.find(':');
        if (colon == std::string::npos)
            return {source, ""};
        return {source.substr(0, colon), source.substr(colon + 1)};
    }

    /// The labels' file for messages, or the data set when the reader did not say.
    std::string labelsName(const RawDataset& raw, const RawSplit& split)
    {
        return split.labelsFile.empty() ? raw.source : split.labelsFile;
    }

    void validateSplit(const RawDataset& raw, const RawSplit& split, const std::string& which)
    {
        if (split.images.size(0) != split.labels.size(0))
            throw Error(raw.source + ": " + which + " split has " + std::to_string(split.images.size(0)) + " images but "
                + std::to_string(split.labels.size(0)) + " labels");
        if (split.size() == 0)
            return;
        const auto maxLabel = split.labels.max().item<std::int64_t>();
        const auto minLabel = split.labels.min().item<std::int64_t>();
        const auto classes = static_cast<std::int64_t>(raw.classNames.size());
        if (minLabel < 0 || maxLabel >= classes)
            throw Error(labelsName(raw, split) + ": " + which + " label " + std::to_string(minLabel < 0 ? minLabel : maxLabel)
                + " is outside the " + std::to_string(classes) + " classes (0…" + std::to_string(classes - 1) + ")");
    }

    void validate(const RawDataset& raw)
    {
        if (raw.train.size() == 0)
            throw Error(raw.source + ": no training images");
        if (raw.classNames.size() < 2)
            throw Error(raw.source + ": needs at least two classes, found " + std::to_string(raw.classNames.size()));
        validateSplit(raw, raw.train, "train");
        validateSplit(raw, raw.test, "test");
        if (raw.test.size() > 0 && raw.test.images.sizes().slice(1) != raw.train.images.sizes().slice(1))
            throw Error(raw.source + ": test images are shaped differently from training images");
        const torch::Tensor counts = torch::bincount(raw.train.labels, {}, static_cast<std::int64_t>(raw.classNames.size()));
        for (std::int64_t c = 0; c < counts.size(0); ++c) {
            if (counts[c].item<std::int64_t>() > 0)
                continue;
            std::string why = "class " + std::to_string(c) + " (\"" + raw.classNames[c] + "\") has no training image";
            const bool inTest = raw.test.size() > 0 && (raw.test.labels == c).any().item<bool>();
            if (inTest)
                why += ": label " + std::to_string(c) + " occurs only in " + labelsName(raw, raw.test);
            else
                why += " in " + labelsName(raw, raw.train) + " (labels must number the classes 0, 1, 2, … without gaps)";
            throw Error(raw.source + ": " + why);
        }
    }

    std::vector<std::int64_t> perClass(const RawSplit& split, std::size_t classes)
    {
        if (split.size() == 0)
            return std::vector<std::int64_t>(classes, 0);
        const torch::Tensor counts = torch::bincount(split.labels, {}, static_cast<std::int64_t>(classes));
        return std::vector<std::int64_t>(counts.data_ptr<std::int64_t>(), counts.data_ptr<std::int64_t>() + classes);
    }

} // namespace

std::int64_t classCountFromLabels(const RawDataset& raw)
{
    if (raw.train.size() == 0)
        throw Error(raw.source + ": no training images");
    std::int64_t largest = -1;
    const RawSplit* largestIn = &raw.train;
    for (const RawSplit* split : {&raw.train, &raw.test}) {
        if (split->size() == 0)
            continue;
        const auto smallest = split->labels.min().item<std::int64_t>();
        if (smallest < 0)
            throw Error(labelsName(raw, *split) + ": negative label " + std::to_string(smallest));
        const auto top = split->labels.max().item<std::int64_t>();
        if (top > largest) {
            largest = top;
            largestIn = split;
        }
    }
    const std::int64_t trainImages = raw.train.size();
    if (largest >= trainImages)
        throw Error(labelsName(raw, *largestIn) + ": label " + std::to_string(largest) + " cannot be a class index: it would "
            "make " + std::to_string(largest + 1) + " classes, more than the " + std::to_string(trainImages)
            + " training images can fill (labels number the classes 0, 1, 2, …)");
    return largest + 1;
}

void computeNormalisation(RawDataset& raw)
{
    if (!raw.mean.empty() && !raw.std.empty())
        return;
    torch::NoGradGuard noGrad;
    // float64 accumulation: 47 M pixels in float32 would drift in the last digits.
    const torch::Tensor pixels = raw.train.images.to(torch::kFloat64).div(255.0);
    const torch::Tensor mean = pixels.mean({0, 2, 3});
    const torch::Tensor std = pixels.std({0, 2, 3}, /*unbiased=*/false);
    raw.mean.clear();
    raw.std.clear();
    for (std::int64_t c = 0; c < mean.size(0); ++c) {
        raw.mean.push_back(static_cast<float>(mean[c].item<double>()));
        // A constant channel would divide by zero: fall back to 1 (the images are then only shifted).
        const double s = std[c].item<double>();
        raw.std.push_back(s > 1e-6 ? static_cast<float>(s) : 1.0f);
    }
}

RawDataset readRawDataset(const DataConfig& config)
{
    // Plain variables, not a structured binding: C++17 lambdas cannot capture bindings (clang refuses it).
    const auto parts = splitSource(config.source);
    const std::string& kind = parts.first;
    const std::string& argument = parts.second;
    auto needsArgument = [&](const char* what) {
        if (argument.empty())
            throw Error("dataset: \"" + config.source + "\" needs " + what + " after the colon, e.g. " + kind + ":"
                + (kind == "medmnist" ? "pneumoniamnist.npz" : "/path/to/folder"));
    };
    RawDataset raw;
    if (kind == "fashion-mnist" && argument.empty()) {
        raw = readFashionMnist(fashionMnistDir());
    } else if (kind == "idx") {
        needsArgument("a folder");
        raw = readIdxFolder(argument);
    } else if (kind == "cifar10" || kind == "cifar100") {
        needsArgument("a folder");
        raw = readCifar(argument, kind == "cifar100");
    } else if (kind == "folder") {
        needsArgument("a folder");
        raw = readImageFolder(argument, config);
    } else if (kind == "medmnist") {
        needsArgument("an .npz file");
        raw = readMedMnist(argument);
    } else {
        throw Error("dataset: unknown source \"" + config.source
            + "\" (use fashion-mnist, idx:<dir>, cifar10:<dir>, cifar100:<dir>, folder:<dir> or medmnist:<file.npz>)");
    }
    validate(raw);
    computeNormalisation(raw);
    std::string why;
    raw.dsaStrategy = dsaFlips(config.flips, raw.classNames, &why) ? kDsaStrategyDefault : kDsaStrategyNoFlip;
    raw.notes.push_back(why);
    return raw;
}

DatasetInfo describe(const RawDataset& raw)
{
    DatasetInfo info;
    info.name = raw.name;
    info.source = raw.source;
    info.channels = static_cast<int>(raw.train.images.size(1));
    info.height = static_cast<int>(raw.train.images.size(2));
    info.width = static_cast<int>(raw.train.images.size(3));
    info.classNames = raw.classNames;
    info.trainPerClass = perClass(raw.train, raw.classNames.size());
    info.testPerClass = perClass(raw.test, raw.classNames.size());
    info.mean = raw.mean;
    info.std = raw.std;
    info.dsaStrategy = raw.dsaStrategy;
    info.notes = raw.notes;
    const torch::Tensor images = raw.train.images.contiguous();
    const torch::Tensor labels = raw.train.labels.contiguous();
    std::uint32_t crc = crc32Update(0, images.data_ptr<std::uint8_t>(), static_cast<std::size_t>(images.numel()));
    crc = crc32Update(crc, labels.data_ptr<std::int64_t>(), static_cast<std::size_t>(labels.numel()) * sizeof(std::int64_t));
    char hex[16];
    std::snprintf(hex, sizeof hex, "%08x", crc);
    info.fingerprint = hex;
    return info;
}

std::int64_t DatasetInfo::trainCount() const
{
    std::int64_t n = 0;
    for (auto c : trainPerClass)
        n += c;
    return n;
}

std::string DatasetInfo::summary() const
{
    return name + ": " + std::to_string(trainCount()) + " training and " + std::to_string(testCount())
        + " test images, " + std::to_string(classNames.size()) + " classes, " + std::to_string(height) + "×"
        + std::to_string(width) + ", " + std::to_string(channels) + (channels == 1 ? " channel" : " channels");
}

bool dsaFlips(const std::string& flips, const std::vector<std::string>& classNames, std::string* why)
{
    auto say = [&](const std::string& text) {
        if (why)
            *why = text;
    };
    if (flips == "on" || flips == "off") {
        say(std::string("augmentation flips ") + (flips == "on" ? "on" : "off") + " (data.flips)");
        return flips == "on";
    }
    if (flips != "auto")
        throw Error("data.flips: \"" + flips + "\" is not auto, on or off");
    auto symbol = [](const std::string& name) {
        if (name.size() == 1)
            return true;
        return !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char ch) { return std::isdigit(ch); });
    };
    if (std::all_of(classNames.begin(), classNames.end(), symbol)) {
        say("augmentation flips off: the classes are numerals or single characters (digits, letters or unnamed "
            "classes, where a mirror image means something else); data.flips on turns them on");
        return false;
    }
    say("augmentation flips on: the classes are named (data.flips off turns them off, e.g. for text)");
    return true;
}

std::int64_t DatasetInfo::testCount() const
{
    std::int64_t n = 0;
    for (auto c : testPerClass)
        n += c;
    return n;
}

DatasetInfo inspectDataset(const DataConfig& config)
{
    return translateErrors(config.source, [&] { return describe(readRawDataset(config)); });
}

std::string fashionMnistDir()
{
    if (const char* dir = std::getenv("DISTILLERY_FASHION_MNIST_DIR"); dir && *dir)
        return dir;
    return DISTILLERY_FASHION_MNIST_DIR;
}

std::vector<std::string> discoverDatasets()
{
    std::vector<std::string> found;
    if (!findFirstExisting(fashionMnistDir(), {"train-images-idx3-ubyte.gz", "train-images-idx3-ubyte"}).empty())
        found.push_back("fashion-mnist (" + fashionMnistDir() + ")");
    return found;
}

void checkIpcFits(const DatasetInfo& info, int ipc)
{
    if (ipc < 1)
        throw Error("ipc: must be at least 1, got " + std::to_string(ipc));
    for (std::size_t c = 0; c < info.trainPerClass.size(); ++c)
        if (info.trainPerClass[c] < ipc)
            throw Error("ipc: " + std::to_string(ipc) + " images per class is more than class \"" + info.classNames[c]
                + "\" of " + info.source + " holds (" + std::to_string(info.trainPerClass[c]) + " training images)");
}

} // namespace distillery::core

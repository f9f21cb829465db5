// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// SyntheticSet ↔ files: one set of named arrays (docs/formats.md §10) shared by safetensors and npz.
#include "formats/arrayvalues.h"
#include "formats/safetensors.h"

#include <distillery/error.h>
#include <distillery/npz.h>
#include <distillery/syntheticio.h>
#include <distillery/syntheticset.h>
#include <distillery/version.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>

namespace distillery::core {
namespace {

    constexpr const char* kFormat = "distillery-synthetic-set/1";

    // --- numpy '<U' arrays: UCS-4 little-endian, NUL-padded ---------------------------------------------------

    std::u32string fromUtf8(const std::string& s)
    {
        std::u32string out;
        for (std::size_t i = 0; i < s.size();) {
            const auto c = static_cast<unsigned char>(s[i]);
            const int extra = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
            char32_t cp = extra == 0 ? c : extra == 1 ? (c & 0x1F) : extra == 2 ? (c & 0x0F) : (c & 0x07);
            for (int k = 1; k <= extra && i + k < s.size(); ++k)
                cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
            out.push_back(cp);
            i += 1 + extra;
        }
        return out;
    }

    std::string toUtf8(std::u32string_view s)
    {
        std::string out;
        for (char32_t cp : s) {
            if (cp < 0x80) {
                out.push_back(static_cast<char>(cp));
            } else if (cp < 0x800) {
                out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
                out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
            } else if (cp < 0x10000) {
                out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
                out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
                out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
            } else {
                out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
                out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
                out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
                out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
            }
        }
        return out;
    }

    NpyArray stringArray(const std::vector<std::string>& strings, std::vector<std::int64_t> shape)
    {
        std::vector<std::u32string> wide;
        std::size_t width = 1;
        for (const auto& s : strings) {
            wide.push_back(fromUtf8(s));
            width = std::max(width, wide.back().size());
        }
        std::vector<char32_t> cells(width * wide.size(), U'\0');
        for (std::size_t i = 0; i < wide.size(); ++i)
            std::copy(wide[i].begin(), wide[i].end(), cells.begin() + static_cast<std::ptrdiff_t>(i * width));
        return makeArray("<U" + std::to_string(width), std::move(shape), cells);
    }

    std::vector<std::string> stringsOf(const NpyArray& a, const std::string& where)
    {
        if (a.descr.rfind("<U", 0) != 0)
            throw Error(where + ": expected a string array, found dtype " + a.descr);
        const std::size_t width = std::stoul(a.descr.substr(2));
        std::vector<std::string> out;
        for (std::int64_t i = 0; i < a.elementCount(); ++i) {
            std::u32string s(width, U'\0');
            std::memcpy(s.data(), a.bytes.data() + i * width * 4, width * 4);
            s.resize(std::min(s.find(U'\0'), s.size()));
            out.push_back(toUtf8(s));
        }
        return out;
    }

    // --- the shared array layout ------------------------------------------------------------------------------

    std::map<std::string, NpyArray> toArrays(const SyntheticSet& set)
    {
        checkConsistent(set);
        const auto& im = set.images;
        std::map<std::string, NpyArray> arrays;
        arrays["images"] = makeArray("<f4", {im.count, im.channels, im.height, im.width}, im.data);
        if (set.hasSoftLabels())
            arrays["labels"] = makeArray("<f4", {im.count, set.numClasses}, set.softLabels);
        else
            arrays["labels"] = makeArray("<i8", {im.count}, set.labels);
        arrays["mean"] = makeArray("<f4", {static_cast<std::int64_t>(set.mean.size())}, set.mean);
        arrays["std"] = makeArray("<f4", {static_cast<std::int64_t>(set.std.size())}, set.std);
        if (!set.learnedLr.empty())
            arrays["lr"] = set.learnedLr.size() == 1 ? makeArray("<f4", {}, set.learnedLr)
                                                     : makeArray("<f4", {static_cast<std::int64_t>(set.learnedLr.size())}, set.learnedLr);
        if (!set.initIndices.empty())
            arrays["init_indices"] = makeArray("<i8", {static_cast<std::int64_t>(set.initIndices.size())}, set.initIndices);
        return arrays;
    }

    std::map<std::string, std::string> metadataOf(const SyntheticSet& set)
    {
        std::map<std::string, std::string> metadata = set.metadata;
        metadata["format"] = kFormat;
        metadata["class_names"] = nlohmann::json(set.classNames).dump();
        metadata["num_classes"] = std::to_string(set.numClasses);
        metadata["labels"] = set.hasSoftLabels() ? "soft (float32 N×K probabilities)" : "hard (int64 class index)";
        metadata["normalisation"] = "images are normalised: pixel = image * std + mean (per channel, pixels in [0, 1])";
        metadata.try_emplace("distillery_version", version());
        return metadata;
    }

    SyntheticSet fromArrays(const std::map<std::string, NpyArray>& arrays, std::map<std::string, std::string> metadata,
        const std::string& path)
    {
        auto need = [&](const char* key) -> const NpyArray& {
            const auto it = arrays.find(key);
            if (it == arrays.end())
                throw Error(path + ": no '" + key + "' array (not a Distillery synthetic set?)");
            return it->second;
        };
        SyntheticSet set;
        const NpyArray& images = need("images");
        if (images.shape.size() != 4)
            throw Error(path + ": 'images' must be N×C×H×W, found rank " + std::to_string(images.shape.size()));
        set.images.count = static_cast<int>(images.shape[0]);
        set.images.channels = static_cast<int>(images.shape[1]);
        set.images.height = static_cast<int>(images.shape[2]);
        set.images.width = static_cast<int>(images.shape[3]);
        set.images.data = valuesOf<float>(images, path + " [images]");

        const NpyArray& labels = need("labels");
        if (labels.shape.size() == 2) {
            set.softLabels = valuesOf<float>(labels, path + " [labels]");
            if (labels.shape[1] < 2 || labels.shape[1] > 1'000'000)
                throw Error(path + " [labels]: " + std::to_string(labels.shape[1]) + " soft-label columns (classes)");
            set.numClasses = static_cast<int>(labels.shape[1]);
            for (std::int64_t i = 0; i < labels.shape[0]; ++i) {
                const auto row = set.softLabels.begin() + i * set.numClasses;
                set.labels.push_back(std::max_element(row, row + set.numClasses) - row);
            }
        } else {
            set.labels = valuesOf<std::int64_t>(labels, path + " [labels]");
        }
        set.mean = valuesOf<float>(need("mean"), path + " [mean]");
        set.std = valuesOf<float>(need("std"), path + " [std]");
        if (arrays.count("lr"))
            set.learnedLr = valuesOf<float>(arrays.at("lr"), path + " [lr]");
        if (arrays.count("init_indices"))
            set.initIndices = valuesOf<std::int64_t>(arrays.at("init_indices"), path + " [init_indices]");

        if (arrays.count("class_names")) {
            set.classNames = stringsOf(arrays.at("class_names"), path + " [class_names]");
        } else if (metadata.count("class_names")) {
            try {
                set.classNames = nlohmann::json::parse(metadata.at("class_names")).get<std::vector<std::string>>();
            } catch (const nlohmann::json::exception&) {
                throw Error(path + ": class_names metadata is not a JSON list of strings");
            }
        }
        if (set.numClasses == 0) {
            // Without names the labels say how many classes there are, bounded by the images: every class of a set
            // has an image, so a larger label is a damaged file, refused before anything is sized by it.
            const std::int64_t maxLabel
                = set.labels.empty() ? -1 : *std::max_element(set.labels.begin(), set.labels.end());
            const auto named = static_cast<std::int64_t>(set.classNames.size());
            if (maxLabel >= std::max<std::int64_t>(named, set.images.count))
                throw Error(path + " [labels]: label " + std::to_string(maxLabel) + " cannot be a class index ("
                    + std::to_string(set.images.count) + " images" + (named > 0 ? ", " + std::to_string(named) + " class names" : "")
                    + ")");
            set.numClasses = static_cast<int>(std::max(named, maxLabel + 1));
        }
        if (set.classNames.empty())
            for (int c = 0; c < set.numClasses; ++c)
                set.classNames.push_back(std::to_string(c));
        metadata.erase("class_names");
        set.metadata = std::move(metadata);
        try {
            checkConsistent(set);
        } catch (const Error& e) {
            throw Error(path + ": " + e.what());
        }
        return set;
    }

} // namespace

void checkConsistent(const SyntheticSet& set)
{
    const auto& im = set.images;
    const auto n = static_cast<std::size_t>(im.count);
    if (im.count < 1 || im.channels < 1 || im.height < 1 || im.width < 1)
        throw Error("synthetic set: empty or malformed image shape");
    if (im.data.size() != n * im.imageSize())
        throw Error("synthetic set: image data does not match its shape");
    if (set.labels.size() != n)
        throw Error("synthetic set: " + std::to_string(set.labels.size()) + " labels for " + std::to_string(n) + " images");
    if (set.numClasses < 2 || set.classNames.size() != static_cast<std::size_t>(set.numClasses))
        throw Error("synthetic set: " + std::to_string(set.classNames.size()) + " class names for "
            + std::to_string(set.numClasses) + " classes");
    for (auto label : set.labels)
        if (label < 0 || label >= set.numClasses)
            throw Error("synthetic set: label " + std::to_string(label) + " outside the classes");
    if (set.hasSoftLabels() && set.softLabels.size() != n * static_cast<std::size_t>(set.numClasses))
        throw Error("synthetic set: soft labels are not N×K");
    // Files hold label probabilities (docs/formats.md); a method that learns logits exports their softmax.
    for (std::size_t i = 0; set.hasSoftLabels() && i < n; ++i) {
        double sum = 0;
        for (int k = 0; k < set.numClasses; ++k) {
            const float p = set.softLabels[i * static_cast<std::size_t>(set.numClasses) + static_cast<std::size_t>(k)];
            if (!(p >= 0.0f && p <= 1.0f))
                throw Error("synthetic set: soft label " + std::to_string(k) + " of image " + std::to_string(i) + " is "
                    + std::to_string(p) + ", not a probability (files hold probabilities, not logits)");
            sum += p;
        }
        if (std::abs(sum - 1.0) > 1e-3)
            throw Error("synthetic set: the soft labels of image " + std::to_string(i) + " sum to " + std::to_string(sum)
                + ", not 1 (files hold probabilities, not logits)");
    }
    for (float lr : set.learnedLr)
        if (!(lr > 0.0f) || !std::isfinite(lr))
            throw Error("synthetic set: a learned learning rate is " + std::to_string(lr) + ", not positive");
    if (set.mean.size() != static_cast<std::size_t>(im.channels) || set.std.size() != static_cast<std::size_t>(im.channels))
        throw Error("synthetic set: mean/std need one value per channel");
    if (!set.initIndices.empty() && set.initIndices.size() != n)
        throw Error("synthetic set: init_indices need one value per image");
    for (float v : im.data)
        if (!std::isfinite(v))
            throw Error("synthetic set: images contain NaN or infinite values");
}

ImageBatch8 toDisplayPixels(const SyntheticSet& set)
{
    const auto& im = set.images;
    ImageBatch8 out{im.count, im.channels, im.height, im.width, std::vector<std::uint8_t>(im.data.size())};
    const std::size_t plane = static_cast<std::size_t>(im.height) * im.width;
    for (std::size_t i = 0; i < im.data.size(); ++i) {
        const std::size_t channel = (i / plane) % im.channels;
        const float p = im.data[i] * set.std[channel] + set.mean[channel];
        out.data[i] = static_cast<std::uint8_t>(std::lround(std::clamp(p, 0.0f, 1.0f) * 255.0f));
    }
    return out;
}

void saveSafetensors(const SyntheticSet& set, const std::string& path)
{
    writeSafetensors(path, {toArrays(set), metadataOf(set)});
}

SyntheticSet loadSafetensors(const std::string& path)
{
    SafetensorsFile file = readSafetensors(path);
    return fromArrays(file.tensors, std::move(file.metadata), path);
}

void saveNpz(const SyntheticSet& set, const std::string& path)
{
    auto arrays = toArrays(set);
    arrays["class_names"] = stringArray(set.classNames, {static_cast<std::int64_t>(set.classNames.size())});
    auto metadata = metadataOf(set);
    metadata.erase("class_names");
    // One 0-d string array holding the metadata as JSON: str(np.load(f)["metadata"]) in Python.
    arrays["metadata"] = stringArray({nlohmann::json(metadata).dump()}, {});
    writeNpz(path, arrays);
}

SyntheticSet loadNpz(const std::string& path)
{
    auto arrays = readNpz(path);
    std::map<std::string, std::string> metadata;
    if (arrays.count("metadata")) {
        const auto text = stringsOf(arrays.at("metadata"), path + " [metadata]");
        try {
            metadata = nlohmann::json::parse(text.at(0)).get<std::map<std::string, std::string>>();
        } catch (const std::exception&) {
            throw Error(path + ": metadata is not a JSON object of strings");
        }
    }
    return fromArrays(arrays, std::move(metadata), path);
}

SyntheticSet loadSyntheticSet(const std::string& path)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        const fs::path file = fs::path(path) / "synthetic.safetensors";
        if (!fs::is_regular_file(file, ec))
            throw Error(path + ": run folder without synthetic.safetensors");
        return loadSafetensors(file.string());
    }
    const std::string ext = fs::path(path).extension().string();
    if (ext == ".npz")
        return loadNpz(path);
    if (ext == ".safetensors")
        return loadSafetensors(path);
    throw Error(path + ": unknown synthetic-set file type (use .safetensors, .npz or a run folder)");
}

} // namespace distillery::core

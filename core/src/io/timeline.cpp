// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// Timeline frames: one small safetensors file per kept snapshot (docs/formats.md §11.5). Frames hold the display
// pixels the window shows (8-bit, de-normalised), not the float set: a timeline is for looking, and at a quarter of
// the size a long run can keep a smooth one.
#include "formats/arrayvalues.h"
#include "formats/safetensors.h"

#include <distillery/error.h>
#include <distillery/timeline.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <filesystem>

namespace distillery::core {
namespace {

    constexpr const char* kFrameFormat = "distillery-timeline-frame/1";
    constexpr int kIterationDigits = 6;

    std::filesystem::path timelineFolder(const std::string& runDir)
    {
        return std::filesystem::path(runDir) / "timeline";
    }

    /// "000120.safetensors" → 120; -1 for any other name.
    int iterationOfName(const std::string& name)
    {
        const std::string suffix = ".safetensors";
        if (name.size() <= suffix.size() || name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
            return -1;
        const std::string digits = name.substr(0, name.size() - suffix.size());
        if (digits.size() < kIterationDigits || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return -1;
        int value = -1;
        const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
        return error == std::errc() && end == digits.data() + digits.size() ? value : -1;
    }

    int wholeNumber(const std::map<std::string, std::string>& metadata, const std::string& key, const std::string& path)
    {
        const auto it = metadata.find(key);
        int value = -1;
        if (it != metadata.end()) {
            const std::string& text = it->second;
            const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
            if (error == std::errc() && end == text.data() + text.size() && value >= 0)
                return value;
        }
        throw Error(path + ": metadata '" + key + "' is " + (it == metadata.end() ? "missing" : "not a whole number ≥ 0"));
    }

    const NpyArray& need(const SafetensorsFile& file, const std::string& key, const std::string& path)
    {
        const auto it = file.tensors.find(key);
        if (it == file.tensors.end())
            throw Error(path + ": no '" + key + "' tensor (not a timeline frame?)");
        return it->second;
    }

} // namespace

int timelineInterval(int iterations, int snapshotEvery, std::size_t frameBytes)
{
    snapshotEvery = std::max(1, snapshotEvery);
    const std::size_t byBudget = kTimelineBudgetBytes / std::max<std::size_t>(1, frameBytes);
    const auto frames = static_cast<long long>(std::clamp<std::size_t>(byBudget, 2, kTimelineMaxFrames));
    // Snapshots come every snapshotEvery iterations; keep every k-th so that at most `frames` fit the run.
    const long long snapshots = (std::max(1, iterations) + snapshotEvery - 1) / snapshotEvery;
    const long long every = std::max<long long>(1, (snapshots + frames - 1) / frames);
    return static_cast<int>(every * snapshotEvery);
}

std::string timelineFramePath(const std::string& runDir, int iteration)
{
    std::string digits = std::to_string(std::max(0, iteration));
    if (digits.size() < kIterationDigits)
        digits.insert(0, kIterationDigits - digits.size(), '0');
    return (timelineFolder(runDir) / (digits + ".safetensors")).string();
}

void writeTimelineFrame(const std::string& runDir, const Snapshot& frame)
{
    const ImageBatch8& im = frame.images;
    const std::string path = timelineFramePath(runDir, frame.iteration);
    if (im.count < 1 || im.data.size() != static_cast<std::size_t>(im.count) * im.imageSize()
        || frame.labels.size() != static_cast<std::size_t>(im.count))
        throw Error(path + ": no images to keep, or labels that do not match them");
    std::error_code ec;
    std::filesystem::create_directories(timelineFolder(runDir), ec);
    if (ec)
        throw Error(timelineFolder(runDir).string() + ": cannot create folder (" + ec.message() + ")");

    SafetensorsFile file;
    file.tensors["images"] = makeArray("|u1", {im.count, im.channels, im.height, im.width}, im.data);
    file.tensors["labels"] = makeArray("<i8", {im.count}, frame.labels);
    const auto classes = static_cast<std::int64_t>(frame.classNames.size());
    if (frame.hasSoftLabels())
        file.tensors["soft_labels"] = makeArray("<f4", {im.count, classes}, frame.softLabels);
    if (!frame.learnedLr.empty())
        file.tensors["lr"] = makeArray("<f4", {static_cast<std::int64_t>(frame.learnedLr.size())}, frame.learnedLr);
    if (!frame.initIndices.empty())
        file.tensors["init_indices"] = makeArray("<i8", {static_cast<std::int64_t>(frame.initIndices.size())}, frame.initIndices);
    file.metadata = {{"format", kFrameFormat}, {"iteration", std::to_string(frame.iteration)},
        {"iterations", std::to_string(frame.totalIterations)}, {"ipc", std::to_string(frame.ipc)},
        {"class_names", nlohmann::json(frame.classNames).dump()},
        {"pixels", "8-bit display pixels, de-normalised and clamped (not the float set)"}};
    writeSafetensors(path, file);
}

std::vector<int> timelineIterations(const std::string& runDir)
{
    std::vector<int> iterations;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(timelineFolder(runDir), ec), end; !ec && it != end; it.increment(ec)) {
        const int iteration = iterationOfName(it->path().filename().string());
        if (iteration >= 0 && it->is_regular_file(ec))
            iterations.push_back(iteration);
    }
    std::sort(iterations.begin(), iterations.end());
    return iterations;
}

Snapshot readTimelineFrame(const std::string& path)
{
    const SafetensorsFile file = readSafetensors(path);
    const auto format = file.metadata.find("format");
    if (format == file.metadata.end() || format->second != kFrameFormat)
        throw Error(path + ": not a timeline frame (format is not " + std::string(kFrameFormat) + ")");

    Snapshot frame;
    frame.iteration = wholeNumber(file.metadata, "iteration", path);
    frame.totalIterations = wholeNumber(file.metadata, "iterations", path);
    frame.ipc = wholeNumber(file.metadata, "ipc", path);
    try {
        frame.classNames = nlohmann::json::parse(file.metadata.at("class_names")).get<std::vector<std::string>>();
    } catch (const std::exception&) {
        throw Error(path + ": class_names is missing or not a JSON list of strings");
    }
    const auto classes = static_cast<std::int64_t>(frame.classNames.size());
    if (classes < 1)
        throw Error(path + ": no class names");

    const NpyArray& images = need(file, "images", path);
    if (images.descr != "|u1" || images.shape.size() != 4)
        throw Error(path + ": 'images' must be 8-bit N×C×H×W");
    for (const std::int64_t dim : images.shape)
        if (dim < 1 || dim > (std::int64_t{1} << 24))
            throw Error(path + ": 'images' has a dimension of " + std::to_string(dim));
    frame.images.count = static_cast<int>(images.shape[0]);
    frame.images.channels = static_cast<int>(images.shape[1]);
    frame.images.height = static_cast<int>(images.shape[2]);
    frame.images.width = static_cast<int>(images.shape[3]);
    if (frame.images.channels != 1 && frame.images.channels != 3)
        throw Error(path + ": images with " + std::to_string(frame.images.channels) + " channels (1 or 3 expected)");
    frame.images.data = valuesOf<std::uint8_t>(images, path + " [images]");

    const auto count = static_cast<std::size_t>(frame.images.count);
    frame.labels = valuesOf<std::int64_t>(need(file, "labels", path), path + " [labels]");
    if (frame.labels.size() != count)
        throw Error(path + ": " + std::to_string(frame.labels.size()) + " labels for " + std::to_string(count) + " images");
    for (const std::int64_t label : frame.labels)
        if (label < 0 || label >= classes)
            throw Error(path + ": label " + std::to_string(label) + " outside the " + std::to_string(classes) + " classes");
    if (const auto it = file.tensors.find("soft_labels"); it != file.tensors.end()) {
        frame.softLabels = valuesOf<float>(it->second, path + " [soft_labels]");
        if (frame.softLabels.size() != count * static_cast<std::size_t>(classes))
            throw Error(path + ": soft_labels is not one row of " + std::to_string(classes) + " per image");
        for (const float p : frame.softLabels)
            if (!(p >= 0.0f && p <= 1.0f))
                throw Error(path + ": soft_labels holds " + std::to_string(p) + ", not a probability");
    }
    if (const auto it = file.tensors.find("lr"); it != file.tensors.end())
        frame.learnedLr = valuesOf<float>(it->second, path + " [lr]");
    if (const auto it = file.tensors.find("init_indices"); it != file.tensors.end()) {
        frame.initIndices = valuesOf<std::int64_t>(it->second, path + " [init_indices]");
        if (frame.initIndices.size() != count)
            throw Error(path + ": init_indices is not one index per image");
    }
    return frame;
}

Snapshot loadTimelineFrame(const std::string& runDir, int iteration)
{
    return readTimelineFrame(timelineFramePath(runDir, iteration));
}

void removeTimelineFramesAfter(const std::string& runDir, int iteration)
{
    for (const int kept : timelineIterations(runDir))
        if (kept > iteration) {
            std::error_code ec;
            std::filesystem::remove(timelineFramePath(runDir, kept), ec);
        }
}

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "selection/dataselection.h"

#include "formats/arrayvalues.h"
#include "formats/safetensors.h"
#include "formats/tensorarray.h"
#include "selection/lossscores.h"
#include "selection/scoringprogress.h"
#include "util/torchutil.h"

#include <distillery/error.h>
#include <distillery/selection.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <sstream>
#include <tuple>

namespace distillery::core {
namespace {

    constexpr const char* kFormat = "distillery-data-selection/1";
    constexpr std::uint64_t kStreamSelection = 0x5D;
    constexpr std::int64_t kExamplesPerClass = 6;

    NpyArray longArray(const torch::Tensor& t)
    {
        return makeArray<std::int64_t>("<i8", {t.numel()}, toInt64Vector(t));
    }

    /// The kept indices, ascending, of the classes' orders.
    torch::Tensor keptOf(const std::vector<ClassOrder>& classes)
    {
        std::vector<torch::Tensor> kept;
        for (const auto& c : classes)
            kept.push_back(c.order.slice(0, c.dropped));
        return std::get<0>(torch::cat(kept).sort());
    }

    /// A selection file's contents, read once by its caller; `path` only names it in errors.
    DataSelection dataSelectionOf(const SafetensorsFile& f, const std::string& path, std::int64_t images);

    NpyArray pixelArray(const torch::Tensor& pixels)
    {
        const torch::Tensor c = pixels.to(torch::kCPU, torch::kUInt8).contiguous();
        std::vector<std::int64_t> shape(c.sizes().begin(), c.sizes().end());
        return makeArray<std::uint8_t>("|u1", shape, std::vector<std::uint8_t>(c.data_ptr<std::uint8_t>(), c.data_ptr<std::uint8_t>() + c.numel()));
    }

    ImageBatch8 batchOf(const NpyArray& a, const std::string& where)
    {
        if (a.descr != "|u1" || a.shape.size() != 4)
            throw Error(where + ": not N×C×H×W 8-bit pixels");
        ImageBatch8 b;
        b.count = static_cast<int>(a.shape[0]);
        b.channels = static_cast<int>(a.shape[1]);
        b.height = static_cast<int>(a.shape[2]);
        b.width = static_cast<int>(a.shape[3]);
        b.data = valuesOf<std::uint8_t>(a, where);
        return b;
    }

    std::string percent(double fraction)
    {
        std::ostringstream s;
        s << 100.0 * fraction << " %";
        return s.str();
    }

    std::string describe(const DataSelection& s)
    {
        return s.rule + " " + percent(s.fraction) + " of each class"
            + (s.rule == "drop-random" ? std::string() : " by the " + s.score + " loss");
    }

    /// The fewest images a class must keep for this run: its IPC, and the method's real batch per class if it has one.
    void checkKeptCounts(const Dataset& data, const RunConfig& config, const DataSelection& selection)
    {
        const bool hasRealBatch = config.params.has("realBatch");
        const std::int64_t realBatch = hasRealBatch ? config.params.integer("realBatch") : 0;
        for (int c = 0; c < data.numClasses(); ++c) {
            const std::int64_t kept = data.classIndices(c).size(0);
            const std::int64_t whole = static_cast<std::int64_t>(data.info().trainPerClass.at(static_cast<std::size_t>(c)));
            const auto refuse = [&](const std::string& need) {
                throw Error("data selection: " + describe(selection) + " leaves class \"" + data.info().classNames[c] + "\" "
                    + std::to_string(kept) + " of its " + std::to_string(whole) + " training images, fewer than " + need
                    + "; drop a smaller share (data.selectFraction)");
            };
            if (kept < config.ipc)
                refuse("the " + std::to_string(config.ipc) + " images per class of the set (ipc)");
            if (kept < realBatch)
                refuse("the real batch of " + std::to_string(realBatch) + " per class (params.realBatch)");
        }
    }

} // namespace

std::vector<ClassOrder> orderClasses(const torch::Tensor& labels, int classes, const std::string& rule, double fraction,
    const torch::Tensor& scores, std::uint64_t seed)
{
    if (!(fraction >= 0 && fraction < 1))
        throw Error("data selection: the share to drop must be in [0, 1), got " + std::to_string(fraction));
    const torch::Tensor cpuLabels = labels.to(torch::kCPU, torch::kInt64);
    torch::Tensor order; // a ranking of every image: within each class, the ones to drop first
    if (rule == "drop-random") {
        torch::manual_seed(seed);
        order = torch::randperm(cpuLabels.size(0), torch::kInt64);
    } else if (rule == "drop-hardest" || rule == "drop-easiest") {
        const torch::Tensor s = scores.to(torch::kCPU, torch::kFloat);
        if (s.size(0) != cpuLabels.size(0))
            throw Error("data selection: " + std::to_string(s.size(0)) + " scores for " + std::to_string(cpuLabels.size(0)) + " images");
        order = std::get<1>(torch::sort(s, /*stable=*/true, /*dim=*/0, /*descending=*/rule == "drop-hardest"));
    } else {
        throw Error("data selection: unknown rule \"" + rule + "\" (drop-hardest, drop-easiest, drop-random)");
    }
    std::vector<ClassOrder> out;
    const torch::Tensor orderedLabels = cpuLabels.index_select(0, order);
    for (int c = 0; c < classes; ++c) {
        ClassOrder one;
        one.order = order.index_select(0, torch::nonzero(orderedLabels == c).flatten());
        one.dropped = static_cast<std::int64_t>(std::floor(fraction * static_cast<double>(one.order.size(0))));
        out.push_back(one);
    }
    return out;
}

torch::Tensor selectKept(const torch::Tensor& labels, int classes, const std::string& rule, double fraction,
    const torch::Tensor& scores, std::uint64_t seed)
{
    return keptOf(orderClasses(labels, classes, rule, fraction, scores, seed));
}

void chooseExamples(DataSelection& selection, const std::vector<ClassOrder>& classes)
{
    std::vector<torch::Tensor> dropped, kept;
    for (const auto& c : classes) {
        dropped.push_back(c.order.slice(0, 0, std::min(kExamplesPerClass, c.dropped)));
        const torch::Tensor rest = c.order.slice(0, c.dropped);
        const std::int64_t n = std::min(kExamplesPerClass, rest.size(0));
        if (n > 0) // evenly over the kept order: from the nearest to the cut to the farthest
            kept.push_back(rest.index_select(0, torch::linspace(0, static_cast<double>(rest.size(0) - 1), n).round().to(torch::kInt64)));
    }
    selection.droppedExamples = torch::cat(dropped);
    selection.keptExamples = kept.empty() ? torch::empty({0}, torch::kInt64) : torch::cat(kept);
}

std::string selectionPath(const std::string& runDir)
{
    return (std::filesystem::path(runDir) / "selection.safetensors").string();
}

void saveDataSelection(const std::string& path, const DataSelection& selection, const Dataset& data)
{
    SafetensorsFile f;
    f.tensors["kept"] = longArray(selection.kept);
    if (selection.scores.defined())
        f.tensors["scores"] = toFloatArray(selection.scores);
    f.tensors["labels"] = longArray(data.trainLabels());
    const torch::Tensor& pixels = data.raw().train.images;
    f.tensors["dropped_examples"] = pixelArray(pixels.index_select(0, selection.droppedExamples.to(pixels.device())));
    f.tensors["dropped_example_indices"] = longArray(selection.droppedExamples);
    f.tensors["kept_examples"] = pixelArray(pixels.index_select(0, selection.keptExamples.to(pixels.device())));
    f.tensors["kept_example_indices"] = longArray(selection.keptExamples);
    f.metadata = {{"format", kFormat}, {"rule", selection.rule}, {"fraction", std::to_string(selection.fraction)},
        {"score", selection.score}, {"class_names", nlohmann::json(data.info().classNames).dump()}};
    writeSafetensors(path, f);
}

DataSelection loadDataSelection(const std::string& path, std::int64_t images)
{
    return dataSelectionOf(readSafetensors(path), path, images);
}

namespace {

DataSelection dataSelectionOf(const SafetensorsFile& f, const std::string& path, std::int64_t images)
{
    const auto format = f.metadata.find("format");
    if (format == f.metadata.end() || format->second != kFormat)
        throw Error(path + ": not a Distillery data selection (format)");
    DataSelection s;
    s.rule = f.metadata.count("rule") ? f.metadata.at("rule") : "";
    s.score = f.metadata.count("score") ? f.metadata.at("score") : "";
    try {
        s.fraction = f.metadata.count("fraction") ? std::stod(f.metadata.at("fraction")) : 0.0;
    } catch (const std::exception&) {
        throw Error(path + ": the fraction is not a number");
    }
    const auto kept = f.tensors.find("kept");
    if (kept == f.tensors.end() || kept->second.shape.size() != 1)
        throw Error(path + ": no list of kept images");
    const std::vector<std::int64_t> indices = valuesOf<std::int64_t>(kept->second, path + ": kept");
    for (std::size_t i = 0; i < indices.size(); ++i)
        if (indices[i] < 0 || indices[i] >= images || (i > 0 && indices[i] <= indices[i - 1]))
            throw Error(path + ": kept image " + std::to_string(indices[i]) + " at position " + std::to_string(i)
                + " is not an ascending index into the " + std::to_string(images) + " training images");
    s.kept = torch::tensor(indices, torch::kInt64);
    if (const auto scores = f.tensors.find("scores"); scores != f.tensors.end()) {
        if (scores->second.descr != "<f4" || scores->second.shape.size() != 1 || scores->second.shape[0] != images)
            throw Error(path + ": the scores are not " + std::to_string(images) + " float32 values");
        s.scores = fromFloatArray(scores->second);
    }
    return s;
}

} // namespace

void applyDataSelection(Dataset& data, const RunConfig& config, const std::string& runDir, bool resuming,
    const std::function<void(const std::string&)>& log, const StageProgressFn& progress, const RunControl* control)
{
    const DataConfig& d = config.data;
    if (d.select == "none")
        return;
    const std::int64_t images = data.trainImages().size(0);
    const auto say = [&](const std::string& line) {
        if (log)
            log(line);
    };
    DataSelection selection;
    const std::string recorded = runDir.empty() ? std::string() : selectionPath(runDir);
    std::error_code ec;
    if (resuming && !recorded.empty() && std::filesystem::is_regular_file(recorded, ec)) {
        selection = loadDataSelection(recorded, images);
        if (selection.rule != d.select)
            throw Error(recorded + ": records the rule " + selection.rule + ", the run's config.json says " + d.select);
    } else {
        selection.rule = d.select;
        selection.fraction = d.selectFraction;
        if (d.select != "drop-random") {
            selection.score = d.selectScore;
            const ScoreKey key = scoreKeyFor(data, config.model);
            const std::string cached = lossScoresPath(scoresDirOr(config.scoresDir), key);
            std::optional<LossScores> scores = loadLossScores(cached, key);
            if (scores) {
                say("data selection: loss scores from " + cached);
            } else {
                say("data selection: scoring the " + std::to_string(images) + " training images (a " + std::to_string(key.epochs)
                    + "-epoch training, once per data set and model; kept in " + cached + ")");
                const std::string kept = scoringProgressPath(cached);
                scores = computeLossScores(data, key, progress, control, kept, say);
                saveLossScores(cached, key, *scores);
                removeScoringProgress(kept);
            }
            selection.scores = d.selectScore == "early" ? scores->early : scores->converged;
        }
        const std::vector<ClassOrder> classes = orderClasses(data.trainLabels(), data.numClasses(), d.select,
            d.selectFraction, selection.scores, deriveSeed(config.seed, kStreamSelection));
        selection.kept = keptOf(classes);
        chooseExamples(selection, classes);
    }
    data.keepOnly(selection.kept);
    checkKeptCounts(data, config, selection);
    if (!recorded.empty() && !std::filesystem::is_regular_file(recorded, ec))
        saveDataSelection(recorded, selection, data);
    say("data selection: kept " + std::to_string(selection.kept.size(0)) + " of " + std::to_string(images)
        + " training images (" + describe(selection) + ")");
}

std::optional<RunSelection> loadRunSelection(const std::string& runDir)
{
    const std::string path = selectionPath(runDir);
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return std::nullopt;
    const SafetensorsFile f = readSafetensors(path);
    const auto tensor = [&](const std::string& name) -> const NpyArray& {
        const auto t = f.tensors.find(name);
        if (t == f.tensors.end())
            throw Error(path + ": no \"" + name + "\"");
        return t->second;
    };
    if (tensor("labels").shape.size() != 1)
        throw Error(path + ": labels is not a list");
    const std::int64_t trainImages = tensor("labels").shape[0];
    const DataSelection s = dataSelectionOf(f, path, trainImages);
    RunSelection out;
    out.rule = s.rule;
    out.fraction = s.fraction;
    out.score = s.score;
    out.kept = toInt64Vector(s.kept);
    if (s.scores.defined()) {
        const torch::Tensor scores = s.scores.contiguous();
        out.scores.assign(scores.data_ptr<float>(), scores.data_ptr<float>() + scores.numel());
    }
    out.labels = valuesOf<std::int64_t>(tensor("labels"), path + ": labels"); // as many as the shape says: checked there
    try {
        out.classNames = nlohmann::json::parse(f.metadata.at("class_names")).get<std::vector<std::string>>();
    } catch (const std::exception&) {
        throw Error(path + ": the class names are missing or not a JSON list of strings");
    }
    for (const auto label : out.labels)
        if (label < 0 || label >= static_cast<std::int64_t>(out.classNames.size()))
            throw Error(path + ": label " + std::to_string(label) + " is not one of the " + std::to_string(out.classNames.size()) + " classes");
    out.droppedExamples = batchOf(tensor("dropped_examples"), path + ": dropped_examples");
    out.keptExamples = batchOf(tensor("kept_examples"), path + ": kept_examples");
    for (const auto& [indices, classesOut, count] : {std::tuple{"dropped_example_indices", &out.droppedExampleClasses, out.droppedExamples.count},
             std::tuple{"kept_example_indices", &out.keptExampleClasses, out.keptExamples.count}}) {
        const std::vector<std::int64_t> idx = valuesOf<std::int64_t>(tensor(indices), path + ": " + indices);
        if (static_cast<int>(idx.size()) != count)
            throw Error(path + ": " + std::string(indices) + " does not match its images");
        for (const auto i : idx) {
            if (i < 0 || i >= trainImages)
                throw Error(path + ": example " + std::to_string(i) + " is not a training image");
            classesOut->push_back(static_cast<int>(out.labels[static_cast<std::size_t>(i)]));
        }
    }
    return out;
}

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "selection/dataselection.h"

#include "formats/arrayvalues.h"
#include "formats/safetensors.h"
#include "formats/tensorarray.h"
#include "selection/lossscores.h"
#include "util/torchutil.h"

#include <distillery/error.h>
#include <distillery/selection.h>

#include <cmath>
#include <filesystem>
#include <sstream>

namespace distillery::core {
namespace {

    constexpr const char* kFormat = "distillery-data-selection/1";
    constexpr std::uint64_t kStreamSelection = 0x5D;

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

torch::Tensor selectKept(const torch::Tensor& labels, int classes, const std::string& rule, double fraction,
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
    std::vector<torch::Tensor> kept;
    const torch::Tensor orderedLabels = cpuLabels.index_select(0, order);
    for (int c = 0; c < classes; ++c) {
        const torch::Tensor members = order.index_select(0, torch::nonzero(orderedLabels == c).flatten());
        const auto drop = static_cast<std::int64_t>(std::floor(fraction * static_cast<double>(members.size(0))));
        kept.push_back(members.slice(0, drop));
    }
    return std::get<0>(torch::cat(kept).sort());
}

std::string selectionPath(const std::string& runDir)
{
    return (std::filesystem::path(runDir) / "selection.safetensors").string();
}

void saveDataSelection(const std::string& path, const DataSelection& selection)
{
    SafetensorsFile f;
    const torch::Tensor kept = selection.kept.to(torch::kCPU, torch::kInt64).contiguous();
    f.tensors["kept"] = makeArray<std::int64_t>("<i8", {kept.size(0)},
        std::vector<std::int64_t>(kept.data_ptr<std::int64_t>(), kept.data_ptr<std::int64_t>() + kept.size(0)));
    if (selection.scores.defined())
        f.tensors["scores"] = toFloatArray(selection.scores);
    f.metadata = {{"format", kFormat}, {"rule", selection.rule}, {"fraction", std::to_string(selection.fraction)},
        {"score", selection.score}};
    writeSafetensors(path, f);
}

DataSelection loadDataSelection(const std::string& path, std::int64_t images)
{
    const SafetensorsFile f = readSafetensors(path);
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
                scores = computeLossScores(data, key, progress, control);
                saveLossScores(cached, key, *scores);
            }
            selection.scores = d.selectScore == "early" ? scores->early : scores->converged;
        }
        selection.kept = selectKept(data.trainLabels(), data.numClasses(), d.select, d.selectFraction, selection.scores,
            deriveSeed(config.seed, kStreamSelection));
    }
    data.keepOnly(selection.kept);
    checkKeptCounts(data, config, selection);
    if (!recorded.empty() && !std::filesystem::is_regular_file(recorded, ec))
        saveDataSelection(recorded, selection);
    say("data selection: kept " + std::to_string(selection.kept.size(0)) + " of " + std::to_string(images)
        + " training images (" + describe(selection) + ")");
}

std::optional<RunSelection> loadRunSelection(const std::string& runDir, std::int64_t trainImages)
{
    const std::string path = selectionPath(runDir);
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return std::nullopt;
    const DataSelection s = loadDataSelection(path, trainImages);
    RunSelection out{s.rule, s.fraction, s.score, {}, {}};
    out.kept.assign(s.kept.data_ptr<std::int64_t>(), s.kept.data_ptr<std::int64_t>() + s.kept.numel());
    if (s.scores.defined()) {
        const torch::Tensor scores = s.scores.contiguous();
        out.scores.assign(scores.data_ptr<float>(), scores.data_ptr<float>() + scores.numel());
    }
    return out;
}

} // namespace distillery::core

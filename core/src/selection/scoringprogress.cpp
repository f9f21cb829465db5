// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "selection/scoringprogress.h"

#include "formats/safetensors.h"
#include "formats/tensorarray.h"
#include "util/cachepaths.h"

#include <distillery/error.h>

#include <filesystem>
#include <sstream>

namespace distillery::core {
namespace {

    namespace fs = std::filesystem;

    constexpr const char* kProgressFormat = "distillery-loss-score-progress/1";

    NpyArray bytesArray(const std::uint8_t* data, std::size_t size)
    {
        NpyArray a;
        a.descr = "|u1";
        a.shape = {static_cast<std::int64_t>(size)};
        a.bytes.assign(data, data + size);
        return a;
    }

    const NpyArray& bytesEntry(const SafetensorsFile& f, const std::string& name)
    {
        const auto t = f.tensors.find(name);
        if (t == f.tensors.end() || t->second.descr != "|u1" || t->second.shape.size() != 1)
            throw Error("no \"" + name + "\" bytes");
        return t->second;
    }

    /// The progress in `f`, or Error saying what does not fit `key`.
    ScoringProgress progressOf(const SafetensorsFile& f, const ScoreKey& key)
    {
        const auto& m = f.metadata;
        if (m.count("format") == 0 || m.at("format") != kProgressFormat || m.count("key") == 0 || m.at("key") != key.json())
            throw Error("not progress of these scores' key");
        ScoringProgress p;
        try {
            p.epoch = std::stoi(m.at("epoch"));
            p.batch = std::stol(m.at("batch"));
        } catch (const std::exception&) {
            throw Error("its epoch or batch is not a number");
        }
        const long batches = static_cast<long>((key.images + key.batchSize - 1) / key.batchSize);
        if (p.epoch < 0 || p.epoch >= key.epochs || p.batch < 0 || p.batch >= batches)
            throw Error("epoch " + std::to_string(p.epoch) + ", batch " + std::to_string(p.batch) + " is outside the training");
        const NpyArray& generator = bytesEntry(f, "generator");
        p.generator = torch::from_blob(const_cast<std::uint8_t*>(generator.bytes.data()),
            {static_cast<std::int64_t>(generator.bytes.size())}, torch::kUInt8)
                          .clone();
        const NpyArray& optimizer = bytesEntry(f, "optimizer");
        p.optimizer.assign(optimizer.bytes.begin(), optimizer.bytes.end());
        for (const auto& [name, array] : f.tensors) {
            if (name.rfind("p_", 0) != 0 && name.rfind("b_", 0) != 0)
                continue;
            if (array.descr != "<f4")
                throw Error("\"" + name + "\" is not float32");
            p.network[name] = fromFloatArray(array);
            if (!torch::isfinite(p.network[name]).all().item<bool>())
                throw Error("\"" + name + "\" holds NaN or infinite values");
        }
        if (p.epoch >= key.earlyEpochs) {
            const auto early = f.tensors.find("early");
            if (early == f.tensors.end() || early->second.descr != "<f4" || early->second.shape != std::vector<std::int64_t>{key.images})
                throw Error("its early scores are missing or not " + std::to_string(key.images) + " float32 values");
            p.early = fromFloatArray(early->second);
        }
        return p;
    }

} // namespace

std::string scoringProgressPath(const std::string& scoresPath)
{
    fs::path path(scoresPath);
    path.replace_extension(".progress.safetensors");
    return path.string();
}

void saveScoringProgress(const std::string& path, const ScoreKey& key, const ScoringProgress& progress)
{
    createCacheFolder(fs::path(path).parent_path().string(), "score");
    SafetensorsFile f;
    const torch::Tensor generator = progress.generator.to(torch::kCPU).contiguous();
    f.tensors["generator"] = bytesArray(generator.data_ptr<std::uint8_t>(), static_cast<std::size_t>(generator.numel()));
    f.tensors["optimizer"]
        = bytesArray(reinterpret_cast<const std::uint8_t*>(progress.optimizer.data()), progress.optimizer.size());
    for (const auto& [name, tensor] : progress.network)
        f.tensors[name] = toFloatArray(tensor);
    if (progress.early.defined())
        f.tensors["early"] = toFloatArray(progress.early);
    f.metadata = {{"format", kProgressFormat}, {"key", key.json()}, {"epoch", std::to_string(progress.epoch)},
        {"batch", std::to_string(progress.batch)}};
    writeSafetensors(path, f);
}

std::optional<ScoringProgress> loadScoringProgress(
    const std::string& path, const ScoreKey& key, const std::function<void(const std::string&)>& log)
{
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        return std::nullopt;
    try {
        return progressOf(readSafetensors(path), key);
    } catch (const std::exception& e) {
        discardScoringProgress(path, e.what(), log);
    }
    return std::nullopt;
}

void discardScoringProgress(const std::string& path, const std::string& why, const std::function<void(const std::string&)>& log)
{
    removeScoringProgress(path);
    if (log)
        log("data selection: discarded the scoring's kept progress in " + path + " (" + why + "); it starts over");
}

void removeScoringProgress(const std::string& path)
{
    std::error_code ec;
    fs::remove(path, ec);
}

std::string optimizerStateBytes(torch::optim::Optimizer& optimizer)
{
    torch::serialize::OutputArchive archive;
    optimizer.save(archive);
    std::ostringstream out;
    archive.save_to(out);
    return out.str();
}

void loadOptimizerStateBytes(torch::optim::Optimizer& optimizer, const std::string& bytes, torch::Device device)
{
    torch::serialize::InputArchive archive;
    std::istringstream in(bytes);
    archive.load_from(in, device);
    optimizer.load(archive);
}

} // namespace distillery::core

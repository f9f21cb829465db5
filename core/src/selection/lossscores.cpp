// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "selection/lossscores.h"

#include "formats/atomicfile.h"
#include "formats/crc32.h"
#include "formats/safetensors.h"
#include "formats/tensorarray.h"
#include "nn/network.h"
#include "nn/pieces.h"
#include "nn/training.h"
#include "util/cachepaths.h"
#include "util/torchutil.h"

#include <distillery/error.h>
#include <distillery/runcontrol.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>

namespace distillery::core {
namespace {

    namespace fs = std::filesystem;

    constexpr const char* kFormat = "distillery-loss-scores/1";
    constexpr double kMomentum = 0.9;
    constexpr double kWeightDecay = 5e-4;
    constexpr std::uint64_t kStreamScoreTraining = 0x5C;

    /// Every training image's cross-entropy under `net` (eval mode, no gradient), float32 N on the CPU.
    torch::Tensor perImageLoss(NetworkImpl& net, const Dataset& data, const ModelConfig& model)
    {
        torch::NoGradGuard noGrad;
        net.eval();
        const torch::Tensor& images = data.trainImages();
        const torch::Tensor& labels = data.trainLabels();
        const std::int64_t n = images.size(0);
        const std::int64_t rows
            = std::max<std::int64_t>(1, rowsPerPiece(model, networkShape(data), data.device(), pieceBudgetBytes(PerformanceConfig{})));
        std::vector<torch::Tensor> parts;
        for (std::int64_t start = 0; start < n; start += rows) {
            const std::int64_t end = std::min(n, start + rows);
            parts.push_back(torch::nn::functional::cross_entropy(net.forward(images.slice(0, start, end)),
                labels.slice(0, start, end), torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kNone)));
        }
        net.train();
        return torch::cat(parts).to(torch::kCPU, torch::kFloat);
    }

    std::unique_ptr<torch::optim::SGD> makeSgd(NetworkImpl& net, double lr)
    {
        return std::make_unique<torch::optim::SGD>(
            net.parameters(), torch::optim::SGDOptions(lr).momentum(kMomentum).weight_decay(kWeightDecay));
    }

} // namespace

std::string ScoreKey::json() const
{
    const nlohmann::json j = {{"format", kFormat}, {"data", dataName}, {"fingerprint", fingerprint}, {"images", images},
        {"model",
            {{"arch", model.arch}, {"width", model.width}, {"depth", model.depth}, {"norm", model.norm},
                {"activation", model.activation}, {"pooling", model.pooling}}},
        {"epochs", epochs}, {"earlyEpochs", earlyEpochs}, {"lr", lr}, {"batchSize", batchSize}, {"seed", seed},
        {"recipe", "SGD momentum 0.9, weight decay 5e-4, rate x 0.1 after half the epochs, no augmentation"}};
    return j.dump(); // sorted keys: the same key always gives the same text
}

std::string ScoreKey::id() const
{
    const std::string text = json();
    char crc[9];
    std::snprintf(crc, sizeof crc, "%08x", crc32Update(0, text.data(), text.size()));
    const std::string arch = model.arch == "convnet" ? "convnet" + std::to_string(model.width) + "x" + std::to_string(model.depth)
                                                     : model.arch;
    return lowerDashed(dataName) + "-" + arch + "-e" + std::to_string(epochs) + "-" + crc;
}

ScoreKey scoreKeyFor(const Dataset& data, const ModelConfig& model)
{
    ScoreKey key;
    key.dataName = data.info().name;
    key.fingerprint = data.info().fingerprint;
    key.images = data.trainImages().size(0);
    key.model = model;
    return key;
}

LossScores computeLossScores(const Dataset& data, const ScoreKey& key, const StageProgressFn& progress, const RunControl* control)
{
    const torch::Tensor& images = data.trainImages();
    const torch::Tensor& labels = data.trainLabels();
    Network net = makeSeededNetwork(key.model, networkShape(data), deriveSeed(key.seed, kStreamScoreTraining, 0), data.device());
    net->train();
    torch::manual_seed(deriveSeed(key.seed, kStreamScoreTraining, 1));
    auto optimizer = makeSgd(*net, key.lr);
    const long batches = static_cast<long>((images.size(0) + key.batchSize - 1) / key.batchSize);
    const long total = batches * key.epochs;
    long done = 0;
    LossScores scores;
    for (int epoch = 1; epoch <= key.epochs; ++epoch) {
        trainOnePass(*net, *optimizer, images, labels, key.batchSize, nullptr,
            [&](const torch::Tensor&) {
                if (progress)
                    progress({"scoring the training images", "batches", ++done, total});
            },
            control);
        if (epoch == key.earlyEpochs)
            scores.early = perImageLoss(*net, data, key.model);
        if (epoch == key.epochs / 2)
            optimizer = makeSgd(*net, key.lr * 0.1); // as the protocol: a fresh optimiser at a tenth of the rate
    }
    scores.converged = perImageLoss(*net, data, key.model);
    if (!torch::isfinite(scores.converged).all().item<bool>() || !torch::isfinite(scores.early).all().item<bool>())
        throw Error("data selection: the scoring network's losses are not finite (its training diverged)");
    return scores;
}

std::string lossScoresPath(const std::string& dir, const ScoreKey& key)
{
    return (fs::path(dir) / (key.id() + ".safetensors")).string();
}

std::optional<LossScores> loadLossScores(const std::string& path, const ScoreKey& key)
{
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        return std::nullopt;
    const SafetensorsFile f = readSafetensors(path);
    const auto meta = f.metadata.find("key");
    if (meta == f.metadata.end() || f.metadata.count("format") == 0 || f.metadata.at("format") != kFormat)
        throw Error(path + ": not a Distillery loss-score file (no key in its metadata); remove it");
    if (meta->second != key.json())
        throw Error(path + ": these scores were made for another data set, model or recipe (their key: " + meta->second
            + "; this run's: " + key.json() + "); remove the file");
    LossScores scores;
    for (const auto& [name, into] : {std::pair{"early", &scores.early}, std::pair{"converged", &scores.converged}}) {
        const auto t = f.tensors.find(name);
        if (t == f.tensors.end() || t->second.descr != "<f4" || t->second.shape.size() != 1 || t->second.shape[0] != key.images)
            throw Error(path + ": \"" + std::string(name) + "\" is not " + std::to_string(key.images)
                + " float32 scores (damaged); remove the file");
        *into = fromFloatArray(t->second);
        if (!torch::isfinite(*into).all().item<bool>())
            throw Error(path + ": \"" + std::string(name) + "\" holds NaN or infinite scores (damaged); remove the file");
    }
    return scores;
}

void saveLossScores(const std::string& path, const ScoreKey& key, const LossScores& scores)
{
    std::error_code ec;
    fs::create_directories(fs::path(path).parent_path(), ec);
    if (ec)
        throw Error(fs::path(path).parent_path().string() + ": cannot create the score folder (" + ec.message() + ")");
    SafetensorsFile f;
    f.tensors["early"] = toFloatArray(scores.early);
    f.tensors["converged"] = toFloatArray(scores.converged);
    f.metadata = {{"format", kFormat}, {"key", key.json()}};
    writeSafetensors(path, f);
}

std::string scoresDirOr(const std::string& configured)
{
    return configured.empty() ? userDataDir("scores") : configured;
}

} // namespace distillery::core

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
#include "selection/scoringprogress.h"
#include "util/cachepaths.h"
#include "util/torchutil.h"

#include <distillery/error.h>
#include <distillery/runcontrol.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>

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

    /// The network's parameters ("p_<name>") and buffers ("b_<name>"), copied to the CPU.
    std::map<std::string, torch::Tensor> networkState(NetworkImpl& net)
    {
        std::map<std::string, torch::Tensor> state;
        for (const auto& item : net.named_parameters())
            state["p_" + item.key()] = item.value().detach().to(torch::kCPU).clone();
        for (const auto& item : net.named_buffers())
            state["b_" + item.key()] = item.value().detach().to(torch::kCPU).clone();
        return state;
    }

    /// Puts `state` back into `net`; Error when an entry is missing or has another shape (progress of another network).
    void restoreNetwork(NetworkImpl& net, const std::map<std::string, torch::Tensor>& state)
    {
        torch::NoGradGuard noGrad;
        const auto restore = [&](const std::string& name, torch::Tensor into) {
            const auto saved = state.find(name);
            if (saved == state.end() || saved->second.sizes() != into.sizes())
                throw Error("its " + name.substr(2) + " does not fit the network");
            into.copy_(saved->second);
        };
        for (const auto& item : net.named_parameters())
            restore("p_" + item.key(), item.value());
        for (const auto& item : net.named_buffers())
            restore("b_" + item.key(), item.value());
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

LossScores computeLossScores(const Dataset& data, const ScoreKey& key, const StageProgressFn& progress,
    const RunControl* control, const std::string& progressPath, const std::function<void(const std::string&)>& log)
{
    using Clock = std::chrono::steady_clock;
    const torch::Tensor& images = data.trainImages();
    const torch::Tensor& labels = data.trainLabels();
    const std::int64_t n = images.size(0);
    const NetworkShape shape = networkShape(data);
    // As the protocol: from this epoch (from 0) on, a fresh optimiser at a tenth of the rate.
    const int decayFrom = key.epochs / 2;
    const auto rateAt = [&](int epoch) { return decayFrom > 0 && epoch >= decayFrom ? key.lr * 0.1 : key.lr; };
    at::Generator generator = at::globalContext().defaultGenerator(images.device());

    Network net;
    std::unique_ptr<torch::optim::SGD> optimizer;
    const auto startAfresh = [&] {
        net = makeSeededNetwork(key.model, shape, deriveSeed(key.seed, kStreamScoreTraining, 0), data.device());
        net->train();
        torch::manual_seed(deriveSeed(key.seed, kStreamScoreTraining, 1));
        optimizer = makeSgd(*net, key.lr);
    };
    startAfresh();
    LossScores scores;
    std::optional<ScoringProgress> from = progressPath.empty() ? std::nullopt : loadScoringProgress(progressPath, key, log);
    if (from) {
        try {
            restoreNetwork(*net, from->network);
            optimizer = makeSgd(*net, rateAt(from->epoch));
            loadOptimizerStateBytes(*optimizer, from->optimizer, data.device());
            generator.set_state(from->generator);
            scores.early = from->early;
            if (log)
                log("data selection: the scoring continues where it stopped (epoch " + std::to_string(from->epoch + 1) + " of "
                    + std::to_string(key.epochs) + ", batch " + std::to_string(from->batch + 1) + ")");
        } catch (const std::exception& e) {
            discardScoringProgress(progressPath, e.what(), log);
            from.reset();
            scores.early = torch::Tensor();
            startAfresh();
        }
    }

    const long batches = static_cast<long>((n + key.batchSize - 1) / key.batchSize);
    const long total = batches * key.epochs;
    const int firstEpoch = from ? from->epoch : 0;
    const long firstBatch = from ? from->batch : 0;
    long done = static_cast<long>(firstEpoch) * batches + firstBatch;
    auto lastKept = Clock::now();
    for (int epoch = firstEpoch; epoch < key.epochs; ++epoch) {
        const bool continued = from && epoch == firstEpoch; // its optimiser and generator came from the progress
        if (!continued && epoch == decayFrom && epoch > 0)
            optimizer = makeSgd(*net, rateAt(epoch));
        // Each epoch's order is the generator's next permutation, as trainOnePass draws it: the scores of a training
        // that never stopped, and of one that continued, are the same bit for bit.
        const torch::Tensor epochStart = generator.get_state();
        const torch::Tensor order = torch::randperm(n, torch::TensorOptions().dtype(torch::kInt64).device(images.device()));
        for (long b = continued ? firstBatch : 0; b < batches; ++b) {
            const auto keep = [&] {
                if (progressPath.empty())
                    return;
                ScoringProgress p;
                p.epoch = epoch;
                p.batch = b;
                p.generator = epochStart;
                p.network = networkState(*net);
                p.optimizer = optimizerStateBytes(*optimizer);
                p.early = scores.early;
                saveScoringProgress(progressPath, key, p);
            };
            // Checked every batch: an epoch over a whole training split takes many seconds on a CPU.
            if (control && control->stopRequested()) {
                keep();
                throw Cancelled();
            }
            if (std::chrono::duration<double>(Clock::now() - lastKept).count() >= kKeepScoringSeconds) {
                keep();
                lastKept = Clock::now();
            }
            const std::int64_t start = b * key.batchSize;
            trainStep(*net, *optimizer, images, labels, order.slice(0, start, std::min(n, start + key.batchSize)), nullptr);
            if (progress)
                progress({"scoring the training images", "batches", ++done, total});
        }
        if (epoch + 1 == key.earlyEpochs)
            scores.early = perImageLoss(*net, data, key.model);
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
    createCacheFolder(fs::path(path).parent_path().string(), "score");
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

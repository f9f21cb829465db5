// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "eval/protocol.h"

#include "nn/training.h"
#include "util/torchutil.h"

#include <distillery/error.h>
#include <distillery/runcontrol.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>

namespace distillery::core {
namespace {

    // Streams of deriveSeed() used here; any distinct constants would do.
    constexpr std::uint64_t kStreamModelInit = 0xE1;
    constexpr std::uint64_t kStreamTraining = 0xE2;

} // namespace

EvalResult runProtocol(const TrainingSet& train, const Dataset& data, const ModelConfig& model, const EvalConfig& eval,
    std::uint64_t seed, const std::string& subject, const EvalProgressFn& progress, const RunControl* control)
{
    if (eval.models < 1)
        throw Error("eval.models: must be at least 1");
    if (eval.epochs < 0)
        throw Error("eval.epochs: must not be negative");
    if (eval.batchSize < 1)
        throw Error("eval.batchSize: must be at least 1");
    if (eval.augment != "dsa" && eval.augment != "none")
        throw Error("eval.augment: \"" + eval.augment + "\" is not dsa or none");
    const auto n = train.images.size(0);
    if (n == 0)
        throw Error("evaluation: the training set is empty");

    const auto started = std::chrono::steady_clock::now();
    EvalResult result;
    result.subject = subject;
    result.epochs = eval.epochs;
    result.augment = eval.augment;
    result.model = describe(model);
    result.trainImages = static_cast<int>(n);
    result.testImages = static_cast<int>(data.testImages().size(0));

    // What a method learned with the set is part of it (docs/formats.md, "Soft labels and learned rates"): soft
    // labels train with soft-target cross-entropy (classificationLoss), a learned rate replaces the protocol's.
    EvalConfig used = eval;
    if (train.labels.dim() == 2)
        result.labels = "soft";
    // A schedule of step sizes (one per unrolled step, DD) belongs to its own replay (eval/replay.h), not to the
    // protocol's epochs: the protocol then trains with its own rate.
    if (train.learnedLr.defined() && train.learnedLr.numel() == 1) {
        used.lr = train.learnedLr.to(torch::kCPU).to(torch::kFloat64).item<double>();
        if (!(used.lr > 0) || !std::isfinite(used.lr))
            throw Error("evaluation: the set's learned learning rate is " + std::to_string(used.lr) + ", not positive");
        result.learnedLr = used.lr;
    }

    for (int m = 0; m < eval.models; ++m) {
        TrainingProgressFn perBatch;
        if (progress) // the protocol reports passes: one call per finished pass
            perBatch = [&, m](const TrainingProgress& p) {
                if (p.batch == p.batches)
                    progress({m, eval.models, p.pass + 1, p.passes});
            };
        Network net = trainNetwork(train, data, model, used, deriveSeed(seed, kStreamModelInit, m),
            deriveSeed(seed, kStreamTraining, m), perBatch, control);
        const double accuracy = testAccuracy(*net, model, data);
        checkFinite(accuracy, "evaluation accuracy");
        result.accuracies.push_back(accuracy);
    }

    summariseAccuracies(result);
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

void summariseAccuracies(EvalResult& result)
{
    double sum = 0;
    for (double a : result.accuracies)
        sum += a;
    result.mean = sum / static_cast<double>(result.accuracies.size());
    double squares = 0;
    for (double a : result.accuracies)
        squares += (a - result.mean) * (a - result.mean);
    result.std = std::sqrt(squares / static_cast<double>(result.accuracies.size()));
}

std::string EvalResult::summary() const
{
    char text[256];
    std::snprintf(text, sizeof text, "%.2f ± %.2f %% (n = %zu, %s, ", 100.0 * mean, 100.0 * std, accuracies.size(),
        model.c_str());
    std::string out = text;
    // No epochs: nothing was trained (a kernel method's own regression).
    out += epochs > 0 ? std::to_string(epochs) + " epochs, " + (augment == "dsa" ? "DSA" : "no augmentation") : "no training";
    if (labels == "soft")
        out += ", soft labels";
    if (learnedLr > 0) {
        char lr[48];
        std::snprintf(lr, sizeof lr, ", learned lr %.4g", learnedLr);
        out += lr;
    }
    return out + ")";
}

} // namespace distillery::core

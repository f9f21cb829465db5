// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "eval/protocol.h"

#include "augment/dsa.h"
#include "nn/network.h"
#include "util/torchutil.h"

#include <distillery/error.h>
#include <distillery/runcontrol.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>

namespace distillery::core {
namespace {

    // Test batches are large: no gradients, so only activations count.
    constexpr std::int64_t kTestBatch = 1000;
    // Streams of deriveSeed() used here; any distinct constants would do.
    constexpr std::uint64_t kStreamModelInit = 0xE1;
    constexpr std::uint64_t kStreamTraining = 0xE2;

    std::unique_ptr<torch::optim::SGD> makeOptimizer(NetworkImpl& net, const EvalConfig& eval, double lr)
    {
        return std::make_unique<torch::optim::SGD>(net.parameters(),
            torch::optim::SGDOptions(lr).momentum(eval.momentum).weight_decay(eval.weightDecay));
    }

} // namespace

torch::Tensor classificationLoss(const torch::Tensor& logits, const torch::Tensor& labels)
{
    if (labels.scalar_type() == torch::kInt64)
        return torch::nn::functional::cross_entropy(logits, labels);
    return -(labels * torch::log_softmax(logits, 1)).sum(1).mean();
}

double testAccuracy(NetworkImpl& net, const Dataset& data)
{
    torch::NoGradGuard noGrad;
    net.eval();
    const torch::Tensor& images = data.testImages();
    const torch::Tensor& labels = data.testLabels();
    const auto n = images.size(0);
    if (n == 0)
        throw Error(data.info().source + ": the test split is empty, so nothing can be evaluated");
    torch::Tensor correct = torch::zeros({}, torch::TensorOptions().dtype(torch::kInt64).device(images.device()));
    for (std::int64_t start = 0; start < n; start += kTestBatch) {
        const auto end = std::min(n, start + kTestBatch);
        const torch::Tensor predicted = net.forward(images.slice(0, start, end)).argmax(1);
        correct += (predicted == labels.slice(0, start, end)).sum();
    }
    net.train();
    return static_cast<double>(correct.item<std::int64_t>()) / static_cast<double>(n);
}

Network trainNetwork(const TrainingSet& train, const Dataset& data, const ModelConfig& model, const EvalConfig& eval,
    std::uint64_t initSeed, std::uint64_t trainingSeed, int modelIndex, const EvalProgressFn& progress,
    const RunControl* control)
{
    const auto n = train.images.size(0);
    const NetworkShape shape{data.channels(), data.height(), data.width(), data.numClasses()};
    const int passes = eval.epochs + 1; // the reference loops `for ep in range(Epoch + 1)`
    const int decayAfter = eval.epochs / 2 + 1;
    const torch::Tensor images = train.images.detach().to(data.device());
    const torch::Tensor labels = train.labels.detach().to(data.device());

    Network net = makeSeededNetwork(model, shape, initSeed, data.device());
    net->train();
    torch::manual_seed(trainingSeed);
    std::optional<Dsa> dsa;
    if (eval.augment == "dsa")
        dsa.emplace(eval.dsaStrategy.empty() ? data.dsaStrategy() : eval.dsaStrategy, trainingSeed);

    double lr = eval.lr;
    auto optimizer = makeOptimizer(*net, eval, lr);
    for (int pass = 0; pass < passes; ++pass) {
        if (control && control->stopRequested())
            throw Cancelled();
        const torch::Tensor order = torch::randperm(n, torch::TensorOptions().dtype(torch::kInt64).device(data.device()));
        for (std::int64_t start = 0; start < n; start += eval.batchSize) {
            const torch::Tensor index = order.slice(0, start, std::min(n, start + eval.batchSize));
            torch::Tensor x = images.index_select(0, index);
            if (dsa)
                x = (*dsa)(x);
            const torch::Tensor loss = classificationLoss(net->forward(x), labels.index_select(0, index));
            optimizer->zero_grad();
            loss.backward();
            optimizer->step();
        }
        if (pass == decayAfter) {
            // The reference re-creates the optimiser, which also drops the momentum buffer.
            lr *= 0.1;
            optimizer = makeOptimizer(*net, eval, lr);
        }
        if (progress)
            progress({modelIndex, eval.models, pass + 1, passes});
    }
    return net;
}

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

    for (int m = 0; m < eval.models; ++m) {
        Network net = trainNetwork(train, data, model, eval, deriveSeed(seed, kStreamModelInit, m),
            deriveSeed(seed, kStreamTraining, m), m, progress, control);
        const double accuracy = testAccuracy(*net, data);
        checkFinite(accuracy, "evaluation accuracy");
        result.accuracies.push_back(accuracy);
    }

    double sum = 0;
    for (double a : result.accuracies)
        sum += a;
    result.mean = sum / static_cast<double>(result.accuracies.size());
    double squares = 0;
    for (double a : result.accuracies)
        squares += (a - result.mean) * (a - result.mean);
    result.std = std::sqrt(squares / static_cast<double>(result.accuracies.size()));
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

std::string EvalResult::summary() const
{
    char text[256];
    std::snprintf(text, sizeof text, "%.2f ± %.2f %% (n = %zu, %s, %d epochs, %s)", 100.0 * mean, 100.0 * std,
        accuracies.size(), model.c_str(), epochs, augment == "dsa" ? "DSA" : "no augmentation");
    return text;
}

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "nn/training.h"

#include "augment/dsa.h"
#include "nn/pieces.h"
#include "util/torchutil.h"

#include <distillery/error.h>
#include <distillery/runcontrol.h>

#include <optional>

namespace distillery::core {
namespace {

    // Test batches are large: no gradients, so only activations count. On the CPU they are cut to the default piece
    // budget (nn/pieces.h): 10 000 test images through ConvNet-128 took 8.6 s instead of 11.5 s in pieces of 64.
    constexpr std::int64_t kTestBatch = 1000;

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

double testAccuracy(NetworkImpl& net, const ModelConfig& model, const Dataset& data)
{
    const NetworkShape shape = networkShape(data);
    const std::int64_t batch
        = std::min(kTestBatch, rowsPerPiece(model, shape, data.device(), pieceBudgetBytes(PerformanceConfig{})));
    torch::NoGradGuard noGrad;
    net.eval();
    const torch::Tensor& images = data.testImages();
    const torch::Tensor& labels = data.testLabels();
    const auto n = images.size(0);
    if (n == 0)
        throw Error(data.info().source + ": the test split is empty, so nothing can be evaluated");
    torch::Tensor correct = torch::zeros({}, torch::TensorOptions().dtype(torch::kInt64).device(images.device()));
    for (std::int64_t start = 0; start < n; start += batch) {
        const auto end = std::min(n, start + batch);
        const torch::Tensor predicted = net.forward(images.slice(0, start, end)).argmax(1);
        correct += (predicted == labels.slice(0, start, end)).sum();
    }
    net.train();
    return static_cast<double>(correct.item<std::int64_t>()) / static_cast<double>(n);
}

torch::Tensor trainStep(NetworkImpl& net, torch::optim::Optimizer& optimizer, const torch::Tensor& images,
    const torch::Tensor& labels, const torch::Tensor& index, Dsa* dsa)
{
    torch::Tensor x = images.index_select(0, index);
    if (dsa)
        x = (*dsa)(x);
    const torch::Tensor loss = classificationLoss(net.forward(x), labels.index_select(0, index));
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    return loss;
}

void trainOnePass(NetworkImpl& net, torch::optim::Optimizer& optimizer, const torch::Tensor& images,
    const torch::Tensor& labels, std::int64_t batchSize, Dsa* dsa,
    const std::function<void(const torch::Tensor& loss)>& afterBatch, const RunControl* control)
{
    const auto n = images.size(0);
    const torch::Tensor order = torch::randperm(n, torch::TensorOptions().dtype(torch::kInt64).device(images.device()));
    for (std::int64_t start = 0; start < n; start += batchSize) {
        // Checked every batch: an epoch over a whole training split takes many seconds on a CPU.
        if (control && control->stopRequested())
            throw Cancelled();
        const torch::Tensor loss
            = trainStep(net, optimizer, images, labels, order.slice(0, start, std::min(n, start + batchSize)), dsa);
        if (afterBatch)
            afterBatch(loss);
    }
}

Network trainNetwork(const TrainingSet& train, const Dataset& data, const ModelConfig& model, const EvalConfig& eval,
    std::uint64_t initSeed, std::uint64_t trainingSeed, const TrainingProgressFn& progress, const RunControl* control)
{
    const auto n = train.images.size(0);
    const NetworkShape shape = networkShape(data);
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
    const long batches = static_cast<long>((n + eval.batchSize - 1) / eval.batchSize);
    for (int pass = 0; pass < passes; ++pass) {
        long batch = 0;
        trainOnePass(*net, *optimizer, images, labels, eval.batchSize, dsa ? &*dsa : nullptr,
            [&](const torch::Tensor&) {
                if (progress)
                    progress({pass, passes, ++batch, batches});
            },
            control);
        if (pass == decayAfter) {
            // The reference re-creates the optimiser, which also drops the momentum buffer.
            lr *= 0.1;
            optimizer = makeOptimizer(*net, eval, lr);
        }
    }
    return net;
}

} // namespace distillery::core

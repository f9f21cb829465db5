// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "eval/replay.h"

#include "eval/protocol.h"
#include "trajectory/stepbatches.h"
#include "util/torchutil.h"

#include <distillery/error.h>
#include <distillery/runcontrol.h>

#include <chrono>
#include <cmath>

namespace distillery::core {
namespace {

    constexpr std::uint64_t kStreamReplayInit = 0xE3;

} // namespace

EvalResult replayLearnedSteps(const TrainingSet& set, const LearnedSchedule& schedule, const Dataset& data,
    const ModelConfig& model, int models, std::uint64_t seed, const RunControl* control)
{
    if (!set.learnedLr.defined() || set.learnedLr.numel() < 1)
        throw Error("evaluation: the set has no learned step sizes to replay");
    const auto n = set.images.size(0);
    const int classes = data.numClasses();
    const int ipc = static_cast<int>(n / classes);
    if (ipc * classes != n || ipc % schedule.stepBatches != 0)
        throw Error("evaluation: " + std::to_string(n) + " images do not split into " + std::to_string(schedule.stepBatches)
            + " step batches of every class");
    const auto started = std::chrono::steady_clock::now();
    const std::vector<float> eta = toFloatVector(set.learnedLr.detach().to(torch::kCPU).to(torch::kFloat).reshape({-1}));
    const auto batches = stepBatchIndices(classes, ipc, schedule.stepBatches, data.device());
    const torch::Tensor images = set.images.detach().to(data.device());
    const torch::Tensor labels = set.labels.detach().to(data.device());
    const NetworkShape shape{data.channels(), data.height(), data.width(), classes};

    EvalResult result;
    result.subject = "synthetic, replayed steps";
    result.epochs = static_cast<int>(eta.size()) / schedule.stepBatches;
    result.augment = "none";
    result.model = describe(model);
    result.labels = labels.dim() == 2 ? "soft" : "hard";
    result.trainImages = static_cast<int>(n);
    result.testImages = static_cast<int>(data.testImages().size(0));
    for (int m = 0; m < models; ++m) {
        const std::uint64_t initSeed = schedule.fixedInit ? schedule.fixedInitSeed : deriveSeed(seed, kStreamReplayInit, m);
        Network net = makeSeededNetwork(model, shape, initSeed, data.device());
        net->train();
        for (std::size_t t = 0; t < eta.size(); ++t) {
            if (control && control->stopRequested())
                throw Cancelled();
            const torch::Tensor& index = batches[t % batches.size()];
            const torch::Tensor loss = classificationLoss(net->forward(images.index_select(0, index)), labels.index_select(0, index));
            net->zero_grad();
            loss.backward();
            torch::NoGradGuard noGrad;
            for (auto& p : net->parameters())
                if (p.grad().defined())
                    p.add_(p.grad(), -eta[t]);
        }
        const double accuracy = testAccuracy(*net, model, data);
        checkFinite(accuracy, "replay accuracy");
        result.accuracies.push_back(accuracy);
    }
    summariseAccuracies(result);
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

} // namespace distillery::core

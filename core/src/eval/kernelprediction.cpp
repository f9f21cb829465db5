// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "eval/kernelprediction.h"

#include "eval/protocol.h"
#include "methods/kernelridge.h"
#include "nn/network.h"
#include "nn/pieces.h"
#include "util/torchutil.h"

#include <distillery/error.h>
#include <distillery/runcontrol.h>

#include <algorithm>
#include <chrono>

namespace distillery::core {
namespace {

    constexpr std::uint64_t kStreamKernelNetworks = 0xE7;
    constexpr std::int64_t kPieceRows = 1000; // test images per forward: bounded memory on a laptop

} // namespace

EvalResult kernelPrediction(const TrainingSet& set, const KernelReadout& readout, const Dataset& data,
    const ModelConfig& model, int models, std::uint64_t seed, const RunControl* control)
{
    const auto started = std::chrono::steady_clock::now();
    torch::NoGradGuard noGrad;
    const int classes = data.numClasses();
    // Hard labels: their class targets, as the method learned them; soft labels: centred probabilities.
    const torch::Tensor targets = set.labels.dim() == 2 ? set.labels.to(torch::kFloat) - 1.0 / classes
                                                        : centredOneHot(set.labels, classes);
    const torch::Tensor support = set.images.detach();
    const torch::Tensor& test = data.testImages();
    const NetworkShape shape = networkShape(data);

    EvalResult result;
    result.subject = "synthetic, kernel regression";
    result.epochs = 0;
    result.augment = "none";
    const bool ownNetworks = !readout.featureNetworks.empty();
    result.model = describe(model)
        + (ownNetworks ? " features of the distillation's own " + std::to_string(readout.featureNetworks.size())
                    + " trained networks"
                       : " features of " + std::to_string(readout.randomModels) + " untrained networks");
    result.labels = set.labels.dim() == 2 ? "soft" : "hard";
    result.trainImages = static_cast<int>(support.size(0));
    result.testImages = static_cast<int>(test.size(0));
    // Each of the method's own networks is one readout (repeating one would only shrink the spread).
    const int readouts = ownNetworks ? std::min<int>(models, static_cast<int>(readout.featureNetworks.size())) : models;
    for (int m = 0; m < readouts; ++m) {
        if (control && control->stopRequested())
            throw Cancelled();
        torch::Tensor predictions;
        if (ownNetworks) {
            Network net = readout.featureNetworks[static_cast<std::size_t>(m)];
            net->eval(); // features as the method reads them while distilling
            const auto features = [&net](const torch::Tensor& piece) { return net->embed(piece); };
            const torch::Tensor supportFeatures = mapInPieces(support, kPieceRows, features);
            const torch::Tensor testFeatures = mapInPieces(test, kPieceRows, features);
            predictions = kernelRidgePredict(linearKernel(testFeatures, supportFeatures),
                linearKernel(supportFeatures, supportFeatures), targets, readout.ridge);
        } else {
            std::vector<Network> nets;
            for (int r = 0; r < readout.randomModels; ++r) {
                nets.push_back(makeSeededNetwork(model, shape,
                    deriveSeed(seed, kStreamKernelNetworks, static_cast<std::uint64_t>(m * readout.randomModels + r)),
                    data.device()));
                nets.back()->train(); // as while distilling: instance norm needs no statistics, batch norm sees the batch
            }
            const torch::Tensor supportFeatures = randomFeatures(nets, support, kPieceRows);
            const torch::Tensor testFeatures = randomFeatures(nets, test, kPieceRows);
            predictions = kernelRidgePredict(featureKernel(testFeatures, supportFeatures),
                featureKernel(supportFeatures, supportFeatures), targets, readout.ridge);
        }
        const double accuracy = predictions.argmax(1).eq(data.testLabels()).to(torch::kDouble).mean().item<double>();
        checkFinite(accuracy, "kernel regression accuracy");
        result.accuracies.push_back(accuracy);
    }
    summariseAccuracies(result);
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

} // namespace distillery::core

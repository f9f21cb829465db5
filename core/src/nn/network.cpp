// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "nn/network.h"

#include "data/dataset.h"

#include "nn/convnet.h"
#include "nn/smallnets.h"
#include "util/torchutil.h"

#include <distillery/error.h>
#include <distillery/models.h>

namespace distillery::core {

NetworkShape networkShape(const Dataset& data)
{
    return {data.channels(), data.height(), data.width(), data.numClasses()};
}

Network makeNetwork(const ModelConfig& config, const NetworkShape& shape)
{
    if (shape.numClasses < 2)
        throw Error("model: needs at least two classes");
    if (config.arch == "convnet")
        return std::make_shared<ConvNetImpl>(config, shape);
    if (config.arch == "mlp")
        return std::make_shared<MlpImpl>(config, shape);
    if (config.arch == "lenet")
        return std::make_shared<LeNetImpl>(config, shape);
    if (config.arch == "resnet18")
        return std::make_shared<ResNet18Impl>(config, shape);
    throw Error("model.arch: unknown architecture \"" + config.arch + "\" (use convnet, mlp, lenet or resnet18)");
}

Network makeSeededNetwork(const ModelConfig& config, const NetworkShape& shape, std::uint64_t seed, torch::Device device)
{
    // Initialise on the CPU from a fixed seed so the same seed gives the same weights on every device.
    torch::manual_seed(seed);
    Network net = makeNetwork(config, shape);
    net->to(device);
    return net;
}

std::int64_t parameterCount(torch::nn::Module& module)
{
    std::int64_t n = 0;
    for (const auto& p : module.parameters())
        n += p.numel();
    return n;
}

std::string describe(const ModelConfig& config)
{
    if (config.arch == "convnet")
        return "ConvNet-" + std::to_string(config.width) + "x" + std::to_string(config.depth) + " " + config.norm + "/"
            + config.activation + "/" + config.pooling;
    if (config.arch == "mlp")
        return "MLP-128";
    if (config.arch == "lenet")
        return "LeNet";
    if (config.arch == "resnet18")
        return "ResNet-18 " + config.norm;
    return config.arch;
}

ModelSummary describeModel(const ModelConfig& config, int channels, int height, int width, int numClasses)
{
    return translateErrors("model", [&] {
        torch::NoGradGuard noGrad;
        Network net = makeNetwork(config, {channels, height, width, numClasses});
        net->eval();
        ModelSummary summary;
        summary.description = net->description();
        summary.parameters = parameterCount(*net);
        summary.featureDim = net->featureDim();
        const torch::Tensor x = torch::zeros({1, channels, height, width});
        // Keep the tensor: sizes() points into it (the sanitizer run caught the read of a freed temporary here).
        const torch::Tensor logits = net->forward(x);
        summary.logitsShape.assign(logits.sizes().begin(), logits.sizes().end());
        if (net->embed(x).size(1) != summary.featureDim)
            throw Error("model: internal feature size mismatch in " + summary.description);
        return summary;
    });
}

std::vector<std::string> architectureNames()
{
    return {"convnet", "mlp", "lenet", "resnet18"};
}

} // namespace distillery::core

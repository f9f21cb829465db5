// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/config.h>

#include <torch/torch.h>

#include <memory>
#include <string>

namespace distillery::core {

/// Every classifier Distillery trains: logits from forward(), the feature vector before the classifier from
/// embed() (DM matches its mean; herding and k-center measure distances in it).
class NetworkImpl : public torch::nn::Module
{
public:
    virtual torch::Tensor forward(torch::Tensor x) = 0;
    virtual torch::Tensor embed(torch::Tensor x) = 0;
    virtual std::int64_t featureDim() const = 0;
    virtual std::string description() const = 0;
};
using Network = std::shared_ptr<NetworkImpl>;

/// Image geometry and class count a network is built for.
struct NetworkShape
{
    int channels = 1;
    int height = 28;
    int width = 28;
    int numClasses = 10;
};

class Dataset;

/// The shape of the images and classes of `data`.
NetworkShape networkShape(const Dataset& data);

/// Builds a network with torch's default initialisation from the current global seed (callers seed first).
/// Throws Error for an unknown architecture or setting.
Network makeNetwork(const ModelConfig& config, const NetworkShape& shape);

/// A fresh network initialised from exactly `seed` (the reference reseeds from the clock; we do not), on `device`.
Network makeSeededNetwork(const ModelConfig& config, const NetworkShape& shape, std::uint64_t seed, torch::Device device);

std::int64_t parameterCount(torch::nn::Module& module);

/// "ConvNet-128x3 instance/relu/avg"
std::string describe(const ModelConfig& config);

} // namespace distillery::core

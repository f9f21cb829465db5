// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/synthetictensors.h"

#include "data/dataset.h"
#include "util/torchutil.h"

#include <distillery/error.h>

namespace distillery::core {

SyntheticTensors toTensors(const SyntheticSet& set, torch::Device device)
{
    SyntheticTensors t;
    t.images = toTensor(set.images).to(device);
    t.labels = fromInt64Vector(set.labels).to(device);
    if (set.hasSoftLabels())
        t.softLabels = fromFloatVector(set.softLabels, {set.images.count, set.numClasses}).to(device);
    if (!set.learnedLr.empty())
        t.learnedLr = fromFloatVector(set.learnedLr, {static_cast<std::int64_t>(set.learnedLr.size())}).to(device);
    t.initIndices = set.initIndices.empty() ? torch::full({set.images.count}, -1, torch::kInt64)
                                            : fromInt64Vector(set.initIndices);
    return t;
}

SyntheticSet toSyntheticSet(const SyntheticTensors& tensors, const Dataset& data)
{
    SyntheticSet set;
    set.images = toImageBatch(tensors.images);
    set.labels = toInt64Vector(tensors.labels);
    if (tensors.softLabels.defined())
        set.softLabels = toFloatVector(tensors.softLabels);
    if (tensors.learnedLr.defined())
        set.learnedLr = toFloatVector(tensors.learnedLr);
    if (tensors.initIndices.defined())
        set.initIndices = toInt64Vector(tensors.initIndices);
    set.numClasses = data.numClasses();
    set.classNames = data.info().classNames;
    set.mean = data.info().mean;
    set.std = data.info().std;
    return set;
}

void checkFitsDataset(const SyntheticSet& set, const Dataset& data)
{
    const auto& info = data.info();
    if (set.images.channels != info.channels || set.images.height != info.height || set.images.width != info.width)
        throw Error("synthetic set: images are " + std::to_string(set.images.channels) + "×"
            + std::to_string(set.images.height) + "×" + std::to_string(set.images.width) + " but " + info.source
            + " has " + std::to_string(info.channels) + "×" + std::to_string(info.height) + "×"
            + std::to_string(info.width) + " (wrong --dataset?)");
    if (set.numClasses != data.numClasses())
        throw Error("synthetic set: " + std::to_string(set.numClasses) + " classes but " + info.source + " has "
            + std::to_string(data.numClasses()) + " (wrong --dataset?)");
}

} // namespace distillery::core

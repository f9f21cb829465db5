// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/dataset.h"

#include "util/torchutil.h"

#include <limits>

namespace distillery::core {

Dataset::Dataset(RawDataset raw, torch::Device device)
    : m_raw(std::move(raw))
    , m_info(describe(m_raw))
    , m_device(device)
{
    torch::NoGradGuard noGrad;
    const auto channels = static_cast<std::int64_t>(m_raw.mean.size());
    m_mean = fromFloatVector(m_raw.mean, {1, channels, 1, 1}).to(device);
    m_std = fromFloatVector(m_raw.std, {1, channels, 1, 1}).to(device);
    m_trainImages = normalise(m_raw.train.images);
    m_trainLabels = m_raw.train.labels.to(device);
    if (m_raw.test.size() > 0) {
        m_testImages = normalise(m_raw.test.images);
        m_testLabels = m_raw.test.labels.to(device);
    } else {
        m_testImages = torch::empty({0, m_info.channels, m_info.height, m_info.width}, m_trainImages.options());
        m_testLabels = torch::empty({0}, m_trainLabels.options());
    }
    m_whole = makePool(torch::arange(m_trainLabels.size(0), torch::TensorOptions().dtype(torch::kInt64).device(device)));
    m_kept = m_whole;
}

Dataset::SamplingPool Dataset::makePool(const torch::Tensor& indices) const
{
    SamplingPool p;
    const torch::Tensor labels = m_trainLabels.index_select(0, indices);
    std::int64_t largest = 0;
    p.smallestClass = std::numeric_limits<std::int64_t>::max();
    for (int c = 0; c < numClasses(); ++c) {
        p.classIndices.push_back(indices.index_select(0, torch::nonzero(labels == c).flatten()));
        largest = std::max(largest, p.classIndices.back().size(0));
        p.smallestClass = std::min(p.smallestClass, p.classIndices.back().size(0));
    }
    const auto longs = torch::TensorOptions().dtype(torch::kInt64).device(m_device);
    p.classTable = torch::zeros({numClasses(), largest}, longs);
    p.classWeights = torch::zeros({numClasses(), largest}, torch::TensorOptions().dtype(torch::kFloat32).device(m_device));
    for (int c = 0; c < numClasses(); ++c) {
        const auto n = p.classIndices[c].size(0);
        p.classTable[c].slice(0, 0, n).copy_(p.classIndices[c]);
        p.classWeights[c].slice(0, 0, n).fill_(1.0);
    }
    return p;
}

void Dataset::keepOnly(const torch::Tensor& kept)
{
    torch::NoGradGuard noGrad;
    m_keptIndices = std::get<0>(kept.to(m_device, torch::kInt64).sort());
    m_kept = makePool(m_keptIndices);
    for (int c = 0; c < numClasses(); ++c)
        if (m_kept.classIndices[c].size(0) == 0)
            throw Error("data selection keeps no image of class \"" + m_info.classNames[c] + "\"");
}

torch::Tensor Dataset::sampleAllClasses(std::int64_t n, Pool which) const
{
    const SamplingPool& p = pool(which);
    if (n > p.smallestClass)
        throw Error("sample: " + std::to_string(n) + " images per class requested, the smallest class has "
            + std::to_string(p.smallestClass) + (which == Pool::Kept && m_keptIndices.defined() ? " after data selection" : ""));
    const torch::Tensor positions = torch::multinomial(p.classWeights, n, /*replacement=*/false);
    torch::Tensor drawn = p.classTable.gather(1, positions).reshape({-1});
    if (m_drawObserver)
        m_drawObserver(drawn);
    return drawn;
}

torch::Tensor Dataset::normalise(const torch::Tensor& pixels) const
{
    // Convert on the device: uint8 crosses the bus at a quarter of the float size.
    return pixels.to(m_device).to(torch::kFloat32).div_(255.0).sub_(m_mean).div_(m_std);
}

torch::Tensor Dataset::sampleClassIndices(int c, std::int64_t n, Pool which) const
{
    const torch::Tensor& pool = this->pool(which).classIndices.at(c);
    const auto available = pool.size(0);
    if (n > available)
        throw Error("sample: " + std::to_string(n) + " images of class " + std::to_string(c) + " requested, only "
            + std::to_string(available) + " exist");
    const torch::Tensor perm = torch::randperm(available, torch::TensorOptions().dtype(torch::kInt64).device(m_device));
    torch::Tensor drawn = pool.index_select(0, perm.slice(0, 0, n));
    if (m_drawObserver)
        m_drawObserver(drawn);
    return drawn;
}

std::shared_ptr<Dataset> loadDataset(const DataConfig& config, torch::Device device)
{
    return translateErrors(
        config.source, [&] { return std::make_shared<Dataset>(readRawDataset(config), device); });
}

} // namespace distillery::core

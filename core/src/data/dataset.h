// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "data/rawdataset.h"

#include <distillery/datasets.h>

#include <torch/torch.h>

#include <functional>

#include <vector>

namespace distillery::core {

DatasetInfo describe(const RawDataset& raw);

/// A data set ready for training: normalised float images resident on the device, per-class index tensors
/// for sampling, and the uint8 originals on the CPU (for export and the privacy inspector).
class Dataset final
{
public:
    Dataset(RawDataset raw, torch::Device device);

    const DatasetInfo& info() const { return m_info; }
    torch::Device device() const { return m_device; }
    int numClasses() const { return static_cast<int>(m_info.classNames.size()); }
    int channels() const { return m_info.channels; }
    int height() const { return m_info.height; }
    int width() const { return m_info.width; }
    const std::string& dsaStrategy() const { return m_info.dsaStrategy; }

    const torch::Tensor& trainImages() const { return m_trainImages; } ///< float N×C×H×W, normalised, device
    const torch::Tensor& trainLabels() const { return m_trainLabels; } ///< int64 N, device
    const torch::Tensor& testImages() const { return m_testImages; }
    const torch::Tensor& testLabels() const { return m_testLabels; }
    /// Which training images a draw may take: those data selection kept (every image when nothing was selected), or
    /// the whole training split, for yardsticks that must not depend on the selection (random real baselines).
    enum class Pool
    {
        Kept,
        Whole
    };

    const torch::Tensor& classIndices(int c) const { return m_kept.classIndices.at(c); } ///< int64, device: kept ones
    const RawDataset& raw() const { return m_raw; }

    /// Indices (into the training split) of `n` distinct random images of class `c`, on the device.
    torch::Tensor sampleClassIndices(int c, std::int64_t n, Pool pool = Pool::Kept) const;

    /// `n` distinct random training indices of every class in one call, class-major (K·n), on the device:
    /// one multinomial draw without replacement over a padded class × member table.
    torch::Tensor sampleAllClasses(std::int64_t n, Pool pool = Pool::Kept) const;

    /// Data selection (docs/methods.md §10): from now on the kept pool is `kept` (int64 indices into the training
    /// split, each class non-empty). Images, labels and indices stay those of the whole split.
    void keepOnly(const torch::Tensor& kept);
    /// The kept training indices, ascending; undefined when nothing was selected (every image is kept).
    const torch::Tensor& keptIndices() const { return m_keptIndices; }

    /// For checks (diagnostics): `observer` sees every index tensor a draw returns.
    void observeDraws(std::function<void(const torch::Tensor&)> observer) { m_drawObserver = std::move(observer); }

    /// Normalise uint8 N×C×H×W pixels with this data set's constants, on the device.
    torch::Tensor normalise(const torch::Tensor& pixels) const;

private:
    RawDataset m_raw;
    DatasetInfo m_info;
    torch::Device m_device;
    torch::Tensor m_trainImages;
    torch::Tensor m_trainLabels;
    torch::Tensor m_testImages;
    torch::Tensor m_testLabels;
    torch::Tensor m_mean; ///< 1×C×1×1 on the device
    torch::Tensor m_std;
    /// Per-class tables to draw from, for one pool of training images.
    struct SamplingPool
    {
        std::vector<torch::Tensor> classIndices;
        torch::Tensor classTable; ///< K × (largest class): training indices, padded with 0
        torch::Tensor classWeights; ///< K × (largest class): 1 for members, 0 for padding
        std::int64_t smallestClass = 0;
    };
    SamplingPool makePool(const torch::Tensor& indices) const;
    const SamplingPool& pool(Pool which) const { return which == Pool::Whole ? m_whole : m_kept; }

    SamplingPool m_whole;
    SamplingPool m_kept;
    torch::Tensor m_keptIndices;
    std::function<void(const torch::Tensor&)> m_drawObserver;
};

/// Reads, validates and moves a data set to `device`; errors name the source.
std::shared_ptr<Dataset> loadDataset(const DataConfig& config, torch::Device device);

} // namespace distillery::core

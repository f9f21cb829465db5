// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "data/rawdataset.h"

#include <distillery/datasets.h>

#include <torch/torch.h>

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
    const torch::Tensor& classIndices(int c) const { return m_classIndices.at(c); } ///< int64, device
    const RawDataset& raw() const { return m_raw; }

    /// Indices (into the training split) of `n` distinct random images of class `c`, on the device.
    torch::Tensor sampleClassIndices(int c, std::int64_t n) const;

    /// `n` distinct random training indices of every class in one call, class-major (K·n), on the device:
    /// one multinomial draw without replacement over a padded class × member table.
    torch::Tensor sampleAllClasses(std::int64_t n) const;

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
    std::vector<torch::Tensor> m_classIndices;
    torch::Tensor m_classTable; ///< K × (largest class): training indices, padded with 0
    torch::Tensor m_classWeights; ///< K × (largest class): 1 for members, 0 for padding
    std::int64_t m_smallestClass = 0;
};

/// Reads, validates and moves a data set to `device`; errors name the source.
std::shared_ptr<Dataset> loadDataset(const DataConfig& config, torch::Device device);

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/config.h>

#include <torch/torch.h>

#include <string>
#include <vector>

namespace distillery::core {

/// One split as read from disk, on the CPU: images uint8 N×C×H×W, labels int64 N.
struct RawSplit
{
    torch::Tensor images;
    torch::Tensor labels;
    std::string labelsFile; ///< where the labels were read (a file, or "file [key]"), for messages; may be empty

    std::int64_t size() const { return images.defined() ? images.size(0) : 0; }
};

/// A data set as a reader returns it, before validation and normalisation.
struct RawDataset
{
    std::string name;
    std::string source;
    std::vector<std::string> classNames;
    RawSplit train;
    RawSplit test;
    std::vector<float> mean; ///< reference constants; empty = compute on the training split
    std::vector<float> std;
    /// Decided in readRawDataset from DataConfig::flips and the class names, never by a reader.
    std::string dsaStrategy;
    std::vector<std::string> notes; ///< what the reader decided that the user should know
};

RawDataset readFashionMnist(const std::string& dir);
RawDataset readIdxFolder(const std::string& dir);
RawDataset readCifar(const std::string& dir, bool cifar100);
RawDataset readImageFolder(const std::string& dir, const DataConfig& config);
RawDataset readMedMnist(const std::string& file);

/// Dispatches on `config.source`, then checks what every reader must guarantee: equal image/label counts,
/// labels inside the class list, no empty class, equal image shapes in both splits. Throws Error naming the
/// source and the problem.
RawDataset readRawDataset(const DataConfig& config);

/// The class count that numbered labels imply (largest label + 1, over both splits), bounded by the data: every class
/// needs a training image, so a label at or above the number of training images cannot be a class index (a corrupt
/// file, or labels that are not 0…K-1) and is refused before anything is sized by it. Throws Error naming the labels
/// file and the label; also when there are no training images at all.
std::int64_t classCountFromLabels(const RawDataset& raw);

/// mean/std per channel over the training images scaled to [0, 1] (population std).
void computeNormalisation(RawDataset& raw);

} // namespace distillery::core

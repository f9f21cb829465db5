// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/config.h>

#include <cstdint>
#include <string>
#include <vector>

namespace distillery::core {

/// What a data source holds, as read from disk (no device involved).
struct DatasetInfo
{
    std::string name; ///< e.g. "Fashion-MNIST"
    std::string source; ///< the DataConfig source it came from
    int channels = 0;
    int height = 0;
    int width = 0;
    std::vector<std::string> classNames;
    std::vector<std::int64_t> trainPerClass;
    std::vector<std::int64_t> testPerClass;
    std::vector<float> mean; ///< normalisation constants used (reference values or computed on train)
    std::vector<float> std;
    std::string dsaStrategy; ///< the DSA strategy for this data, flips decided (dsaFlips)
    std::string fingerprint; ///< CRC-32 of the training pixels and labels, to tell data sets apart
    /// What reading decided that changes what a run sees: the flips and why, a merged validation split, resized
    /// images. Printed when a run loads the data.
    std::vector<std::string> notes;

    std::int64_t trainCount() const;
    std::int64_t testCount() const;
    /// One line: name, images per split, classes, size, channels.
    std::string summary() const;
};

/// Whether DSA mirrors images of this data. `flips` (DataConfig::flips) "on" or "off" decides; "auto" decides by
/// what the classes are: no flips when every class name is a numeral or a single character (digits, letters,
/// unnamed classes: a mirrored symbol is another symbol), flips for named classes (clothing, objects, the
/// named MedMNIST subsets). `why`, when given, receives the reason in words.
bool dsaFlips(const std::string& flips, const std::vector<std::string>& classNames, std::string* why = nullptr);

/// Reads and validates a data source; throws Error naming the file and the problem.
DatasetInfo inspectDataset(const DataConfig& config);

/// The built-in Fashion-MNIST folder (the Debian package's), or DISTILLERY_FASHION_MNIST_DIR if set.
std::string fashionMnistDir();

/// Data sets found without user input (for `info`): currently the built-in Fashion-MNIST if installed.
std::vector<std::string> discoverDatasets();

/// Throws Error when `ipc` is larger than the smallest class of the training split.
void checkIpcFits(const DatasetInfo& info, int ipc);

} // namespace distillery::core

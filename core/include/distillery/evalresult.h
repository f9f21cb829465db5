// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <vector>

namespace distillery::core {

/// Test accuracy of fresh networks trained under one protocol (docs/methods.md §1.4). Accuracies are fractions.
struct EvalResult
{
    std::string subject; ///< "synthetic", "random real", "full data", …
    int iteration = -1; ///< distillation iteration of the evaluated set; -1 when not from a run
    std::vector<double> accuracies; ///< one per trained model
    double mean = 0;
    double std = 0; ///< population standard deviation over the models
    int epochs = 0;
    std::string augment; ///< dsa | none
    std::string model; ///< e.g. "ConvNet-128x3 instance/relu/avg"
    std::string labels = "hard"; ///< hard | soft: soft labels are trained with soft-target cross-entropy
    double learnedLr = 0; ///< the set's learned learning rate, used instead of the protocol's; 0 = none
    int trainImages = 0; ///< images the models were trained on
    int testImages = 0;
    double seconds = 0;

    /// "84.6 ± 0.3 % (n = 5, ConvNet-128x3 instance/relu/avg, 1000 epochs, DSA)", with ", soft labels" and
    /// ", learned lr 0.012" where the set brought them.
    std::string summary() const;
};

} // namespace distillery::core

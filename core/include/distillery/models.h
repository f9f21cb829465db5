// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/config.h>

#include <cstdint>
#include <string>
#include <vector>

namespace distillery::core {

struct ModelSummary
{
    std::string description; ///< e.g. "ConvNet-128x3 instance/relu/avg"
    std::int64_t parameters = 0;
    std::int64_t featureDim = 0; ///< size of embed(x)
    std::vector<std::int64_t> logitsShape; ///< output shape for a batch of one
};

/// Builds the network on the CPU and reports its size; throws Error for an unknown architecture or an input
/// too small for it.
ModelSummary describeModel(const ModelConfig& config, int channels, int height, int width, int numClasses);

std::vector<std::string> architectureNames();

} // namespace distillery::core

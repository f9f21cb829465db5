// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "trajectory/stepbatches.h"

#include <cmath>

namespace distillery::core {

std::vector<torch::Tensor> stepBatchIndices(int classes, int ipc, int steps, torch::Device device)
{
    const std::int64_t perStep = ipc / steps;
    const auto options = torch::TensorOptions().dtype(torch::kInt64);
    std::vector<torch::Tensor> batches;
    for (int k = 0; k < steps; ++k) {
        std::vector<torch::Tensor> parts;
        for (int c = 0; c < classes; ++c) {
            const std::int64_t first = static_cast<std::int64_t>(c) * ipc + k * perStep;
            parts.push_back(torch::arange(first, first + perStep, options));
        }
        batches.push_back(torch::cat(parts).to(device));
    }
    return batches;
}

double inverseSoftplus(double eta)
{
    return std::log(std::expm1(eta));
}

} // namespace distillery::core

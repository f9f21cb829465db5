// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <torch/torch.h>

#include <vector>

namespace distillery::core {

// How the checks compare an optimised result with its reference: the largest difference, relative to the largest
// value of the reference (or absolute where the reference is all zeros), in double precision.

inline double relativeError(const torch::Tensor& got, const torch::Tensor& want)
{
    const torch::Tensor a = got.to(torch::kDouble);
    const torch::Tensor b = want.to(torch::kDouble);
    const double scale = b.abs().max().item<double>();
    const double difference = (a - b).abs().max().item<double>();
    return scale > 0 ? difference / scale : difference;
}

/// The same over lists of tensors (e.g. every parameter's gradient), relative to the largest value in `want`: a
/// ConvNet's convolution biases before instance norm have a true gradient of zero, so their own scale is noise.
inline double relativeError(const std::vector<torch::Tensor>& got, const std::vector<torch::Tensor>& want)
{
    double scale = 0, difference = 0;
    for (std::size_t i = 0; i < want.size(); ++i) {
        scale = std::max(scale, want[i].abs().max().item<double>());
        difference = std::max(difference, (got[i] - want[i]).abs().max().item<double>());
    }
    return scale > 0 ? difference / scale : difference;
}

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "methods/learnedlabels.h"

#include <distillery/error.h>

#include <cmath>

namespace distillery::core {

torch::Tensor initialLabelLogits(const torch::Tensor& labels, int classes)
{
    const double a = std::log(9.0 * (classes - 1));
    return torch::one_hot(labels.to(torch::kInt64), classes).to(torch::kFloat).mul(a);
}

void restoreLabelLogits(const torch::Tensor& logits, const torch::Tensor& saved)
{
    if (!saved.sizes().equals(logits.sizes()))
        throw Error("checkpoint: the learned label logits' shape does not match the synthetic set");
    torch::NoGradGuard noGrad;
    logits.copy_(saved.to(logits.device(), logits.scalar_type()));
}

} // namespace distillery::core

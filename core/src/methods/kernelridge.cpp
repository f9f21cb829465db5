// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "methods/kernelridge.h"

namespace distillery::core {

torch::Tensor centredOneHot(const torch::Tensor& labels, int classes)
{
    return torch::one_hot(labels, classes).to(torch::kFloat) - 1.0 / classes;
}

torch::Tensor featureKernel(const torch::Tensor& a, const torch::Tensor& b)
{
    return 2.0 * a.matmul(b.t()) + 0.01;
}

torch::Tensor kernelRidgePredict(const torch::Tensor& kTS, const torch::Tensor& kSS, const torch::Tensor& ySupport, double ridge)
{
    const std::int64_t n = kSS.size(0);
    const torch::Tensor kss = kSS.to(torch::kDouble);
    // The ridge scales with the kernel's mean diagonal (RFAD's jitter, FRePo's λ·tr(K)/n), gradient included as in
    // the references.
    const torch::Tensor scale = kss.diagonal().sum() / static_cast<double>(n);
    const torch::Tensor regularised = kss + ridge * scale * torch::eye(n, kss.options());
    const torch::Tensor factor = torch::linalg_cholesky(regularised);
    const torch::Tensor weights = torch::cholesky_solve(ySupport.to(torch::kDouble), factor);
    return kTS.to(torch::kDouble).matmul(weights).to(kTS.scalar_type());
}

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "methods/kernelridge.h"

#include "nn/pieces.h"

#include <cmath>

namespace distillery::core {

torch::Tensor centredOneHot(const torch::Tensor& labels, int classes)
{
    return torch::one_hot(labels, classes).to(torch::kFloat) - 1.0 / classes;
}

torch::Tensor randomFeatures(std::vector<Network>& nets, const torch::Tensor& x, std::int64_t pieceRows)
{
    std::vector<torch::Tensor> parts;
    for (auto& net : nets)
        parts.push_back(torch::GradMode::is_enabled()
                ? net->embed(x)
                : mapInPieces(x, pieceRows, [&net](const torch::Tensor& piece) { return net->embed(piece); }));
    const torch::Tensor all = torch::cat(parts, 1);
    return all / std::sqrt(static_cast<double>(all.size(1)));
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

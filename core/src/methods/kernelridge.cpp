// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "methods/kernelridge.h"

#include "nn/pieces.h"

#include <distillery/error.h>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace distillery::core {
namespace {

    constexpr double kSmallestKernelScale = 1e-30;
    constexpr double kSmallestRaisedRidge = 1e-8; // where a ridge of 0 starts when it must be raised
    constexpr double kLargestRidge = 1.0; // the mean diagonal itself: any finite kernel is well conditioned by then

} // namespace

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

torch::Tensor linearKernel(const torch::Tensor& a, const torch::Tensor& b)
{
    return a.matmul(b.t());
}

torch::Tensor kernelRidgePredict(const torch::Tensor& kTS, const torch::Tensor& kSS, const torch::Tensor& ySupport, double ridge,
    double* usedRidge)
{
    const std::int64_t n = kSS.size(0);
    const torch::Tensor kss = kSS.to(torch::kDouble);
    // The ridge scales with the kernel's mean diagonal (RFAD's jitter, FRePo's λ·tr(K)/n), gradient included as in
    // the references. A kernel of vanished features (mean diagonal 0) still gets a positive ridge.
    const torch::Tensor scale = (kss.diagonal().sum() / static_cast<double>(n)).clamp_min(kSmallestKernelScale);
    const torch::Tensor identity = torch::eye(n, kss.options());
    double r = ridge;
    torch::Tensor factor;
    for (;;) {
        // linalg_cholesky_ex reports failure in `info` instead of throwing, so a singular kernel can be retried.
        auto [lower, info] = torch::linalg_cholesky_ex(kss + r * scale * identity);
        if (info.item<std::int64_t>() == 0) {
            factor = lower;
            break;
        }
        if (!torch::isfinite(kss).all().item<bool>())
            throw Error("kernel ridge regression: the kernel matrix is not finite (the synthetic images diverged)");
        if (r >= kLargestRidge)
            throw Error("kernel ridge regression: the kernel matrix stays singular even with the ridge raised to "
                + std::to_string(r));
        r = std::min(std::max(r * 10.0, kSmallestRaisedRidge), kLargestRidge);
    }
    if (usedRidge)
        *usedRidge = r;
    const torch::Tensor weights = torch::cholesky_solve(ySupport.to(torch::kDouble), factor);
    return kTS.to(torch::kDouble).matmul(weights).to(kTS.scalar_type());
}

void reportRaisedRidge(double requested, double used, double& reported, const std::function<void(const std::string&)>& log)
{
    if (used <= requested || used <= reported)
        return;
    reported = used;
    if (log) {
        std::ostringstream text;
        text << "the kernel matrix was singular at ridge " << requested << " (duplicate images, or features that vanish): "
             << "solved with ridge " << used << "; set a larger ridge to make this the run's own";
        log(text.str());
    }
}

} // namespace distillery::core

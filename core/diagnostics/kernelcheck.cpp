// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// The kernel ridge check of distillery/diagnostics.h.
#include "methods/kernelridge.h"

#include <distillery/diagnostics.h>

namespace distillery::core {

KernelRidgeCheck checkKernelRidge(int supports, int targets, int features, int classes, double ridge, std::uint64_t seed)
{
    torch::manual_seed(seed);
    KernelRidgeCheck check;
    const torch::Tensor support = torch::randn({supports, features}).requires_grad_(true);
    const torch::Tensor target = torch::randn({targets, features});
    const torch::Tensor labels = torch::arange(supports) % classes;
    const torch::Tensor ySupport = centredOneHot(labels, classes).requires_grad_(true);
    const torch::Tensor yTarget = centredOneHot(torch::arange(targets) % classes, classes);

    const torch::Tensor kSS = featureKernel(support, support);
    const torch::Tensor kTS = featureKernel(target, support);
    const torch::Tensor predicted = kernelRidgePredict(kTS, kSS, ySupport, ridge);
    {
        torch::NoGradGuard noGrad;
        const torch::Tensor k = kSS.to(torch::kDouble);
        const torch::Tensor regularised = k + ridge * k.trace() / supports * torch::eye(supports, k.options());
        const torch::Tensor expected = kTS.to(torch::kDouble).matmul(torch::inverse(regularised)).matmul(ySupport.to(torch::kDouble));
        check.inverseError = ((predicted.to(torch::kDouble) - expected).abs().max() / expected.abs().max()).item<double>();
        const torch::Tensor atSupports = kernelRidgePredict(kSS, kSS, ySupport, 1e-9);
        check.interpolationError = (atSupports - ySupport).abs().max().item<double>();
    }
    {
        torch::NoGradGuard noGrad;
        const torch::Tensor twice = torch::cat({support.detach(), support.detach()});
        const torch::Tensor yTwice = torch::cat({ySupport.detach(), ySupport.detach()});
        const torch::Tensor predictions = kernelRidgePredict(linearKernel(target, twice), linearKernel(twice, twice), yTwice,
            0.0, &check.singularUsedRidge);
        check.singularFinite = torch::isfinite(predictions).all().item<bool>();
        double reported = 0;
        reportRaisedRidge(0.0, check.singularUsedRidge, reported, [&check](const std::string& m) { check.singularMessage = m; });
    }
    const torch::Tensor loss = 0.5 * (predicted - yTarget).pow(2).mean();
    loss.backward();
    check.supportGradient = support.grad().norm().item<double>();
    check.targetGradient = ySupport.grad().norm().item<double>();
    return check;
}

} // namespace distillery::core

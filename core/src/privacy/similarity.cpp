// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "privacy/similarity.h"

#include "util/torchutil.h"

#include <distillery/error.h>
#include <distillery/privacy.h>

#include <cmath>
#include <limits>

namespace distillery::core {
namespace {

    constexpr int kWindow = 11;
    constexpr double kSigma = 1.5;
    constexpr double kC1 = (0.01 * 255) * (0.01 * 255); // 6.5025
    constexpr double kC2 = (0.03 * 255) * (0.03 * 255); // 58.5225

    /// Separable Gaussian blur, reflect-101 borders (torch's "reflect" = OpenCV's BORDER_REFLECT_101), per channel.
    torch::Tensor blur(const torch::Tensor& x)
    {
        const auto opts = torch::TensorOptions().dtype(x.scalar_type()).device(x.device());
        torch::Tensor g = torch::arange(kWindow, opts) - (kWindow - 1) / 2.0;
        g = torch::exp(-(g * g) / (2 * kSigma * kSigma));
        g = g / g.sum();
        const auto channels = x.size(1);
        const int pad = kWindow / 2;
        namespace F = torch::nn::functional;
        torch::Tensor y = F::pad(x, F::PadFuncOptions({pad, pad, pad, pad}).mode(torch::kReflect));
        y = F::conv2d(y, g.view({1, 1, 1, kWindow}).repeat({channels, 1, 1, 1}), F::Conv2dFuncOptions().groups(channels));
        return F::conv2d(y, g.view({1, 1, kWindow, 1}).repeat({channels, 1, 1, 1}), F::Conv2dFuncOptions().groups(channels));
    }

} // namespace

torch::Tensor ssimBatch(const torch::Tensor& aIn, const torch::Tensor& bIn)
{
    torch::NoGradGuard noGrad;
    // float64: population statistics of 0–255 values lose digits in float32 (σ² = E[x²] − μ²).
    const torch::Tensor a = aIn.to(torch::kFloat64), b = bIn.to(torch::kFloat64);
    if (a.size(2) <= kWindow / 2 || a.size(3) <= kWindow / 2)
        throw Error("SSIM: images must be larger than 5 pixels per side");
    const torch::Tensor muA = blur(a), muB = blur(b);
    const torch::Tensor sigmaA = blur(a * a) - muA * muA;
    const torch::Tensor sigmaB = blur(b * b) - muB * muB;
    const torch::Tensor sigmaAB = blur(a * b) - muA * muB;
    const torch::Tensor map = ((2 * muA * muB + kC1) * (2 * sigmaAB + kC2))
        / ((muA * muA + muB * muB + kC1) * (sigmaA + sigmaB + kC2));
    return map.mean({2, 3}).mean(1); // full map, per channel, then channels averaged
}

torch::Tensor psnrBatch(const torch::Tensor& a, const torch::Tensor& b)
{
    torch::NoGradGuard noGrad;
    const torch::Tensor mse = (a.to(torch::kFloat64) - b.to(torch::kFloat64)).pow(2).mean({2, 3});
    const torch::Tensor psnr = 10.0 * torch::log10(255.0 * 255.0 / mse); // +inf where mse = 0
    return psnr.mean(1);
}

namespace {

    torch::Tensor to255(const ImageBatch& batch)
    {
        return toTensor(batch).clamp(0.0, 1.0).mul(255.0);
    }

    void checkPairs(const ImageBatch& a, const ImageBatch& b)
    {
        if (a.count != b.count || a.channels != b.channels || a.height != b.height || a.width != b.width)
            throw Error("image comparison: the two batches must have the same shape");
    }

} // namespace

std::vector<double> structuralSimilarity(const ImageBatch& a, const ImageBatch& b)
{
    checkPairs(a, b);
    return translateErrors("SSIM", [&] {
        const torch::Tensor s = ssimBatch(to255(a), to255(b)).contiguous();
        return std::vector<double>(s.data_ptr<double>(), s.data_ptr<double>() + s.numel());
    });
}

std::vector<double> peakSignalToNoise(const ImageBatch& a, const ImageBatch& b)
{
    checkPairs(a, b);
    return translateErrors("PSNR", [&] {
        const torch::Tensor p = psnrBatch(to255(a), to255(b)).contiguous();
        return std::vector<double>(p.data_ptr<double>(), p.data_ptr<double>() + p.numel());
    });
}

} // namespace distillery::core

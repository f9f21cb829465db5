// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "nn/cpunormrelupool.h"

#include "nn/layers.h"

#include <algorithm>
#include <array>
#include <cmath>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace distillery::core {
namespace {

// Debian builds for the x86-64 baseline (SSE2). These loops are fast only with the machine's wide vectors, so each
// plane function exists once per instruction set and the loader picks one for this CPU (GCC/Clang function clones).
#if defined(__x86_64__) && defined(__GNUC__) && defined(__linux__)
#define DISTILLERY_VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define DISTILLERY_VECTOR_CLONES
#endif

/// Independent partial sums: the compiler keeps them in one vector register instead of one long dependency chain.
constexpr int kLanes = 8;

/// Below this many input values one thread does the work (waking the others costs more than it saves).
constexpr std::int64_t kParallelValues = 1 << 15;

struct PlaneShape
{
    std::int64_t height;
    std::int64_t width;
    std::int64_t outHeight; ///< height / 2, rounded down: pooling drops an odd last row
    std::int64_t outWidth;
    std::int64_t size() const { return height * width; }
    std::int64_t outSize() const { return outHeight * outWidth; }
};

/// Sum of x (and of (x - centre)² when `squares`) over n values, in double.
DISTILLERY_VECTOR_CLONES double planeSum(const float* x, std::int64_t n, double centre, bool squares)
{
    double acc[kLanes] = {};
    std::int64_t i = 0;
    if (squares) {
        for (; i + kLanes <= n; i += kLanes)
            for (int k = 0; k < kLanes; ++k) {
                const double d = x[i + k] - centre;
                acc[k] += d * d;
            }
    } else {
        for (; i + kLanes <= n; i += kLanes)
            for (int k = 0; k < kLanes; ++k)
                acc[k] += x[i + k];
    }
    double sum = 0;
    for (int k = 0; k < kLanes; ++k)
        sum += acc[k];
    for (; i < n; ++i)
        sum += squares ? (x[i] - centre) * (x[i] - centre) : x[i];
    return sum;
}

/// One plane forward: y = relu(x·scale + shift), then each 2×2 window's mean. `rowPair` holds 2·outWidth floats.
DISTILLERY_VECTOR_CLONES void planeForward(const float* x, const PlaneShape& s, float scale, float shift, float* rowPair, float* out)
{
    const std::int64_t pairWidth = 2 * s.outWidth;
    for (std::int64_t oi = 0; oi < s.outHeight; ++oi) {
        const float* top = x + 2 * oi * s.width;
        const float* bottom = top + s.width;
        for (std::int64_t j = 0; j < pairWidth; ++j)
            rowPair[j] = std::max(top[j] * scale + shift, 0.0f) + std::max(bottom[j] * scale + shift, 0.0f);
        float* o = out + oi * s.outWidth;
        for (std::int64_t oj = 0; oj < s.outWidth; ++oj)
            o[oj] = (rowPair[2 * oj] + rowPair[2 * oj + 1]) * 0.25f;
    }
}

/// One plane backward. First the gradient reaching each pixel's norm output: a quarter of its window's output
/// gradient where the ReLU passed it, else 0 (also for a dropped odd row or column). Then instance norm's backward:
/// dx = rstd·γ·(g − mean(g) − x̂·mean(g·x̂)). Returns Σg and Σg·x̂ for β's and γ's gradients. `g` holds the plane,
/// `spread` 2·outWidth floats.
DISTILLERY_VECTOR_CLONES void planeBackward(const float* x, const float* gradOut, const PlaneShape& s, float mean, float rstd,
    float gamma, float beta, float* g, float* spread, float* dx, double& sumG, double& sumGXhat)
{
    const float scale = gamma * rstd;
    const float shift = beta - mean * scale;
    const std::int64_t pairHeight = 2 * s.outHeight, pairWidth = 2 * s.outWidth;
    if (pairHeight != s.height || pairWidth != s.width)
        std::fill(g, g + s.size(), 0.0f);
    for (std::int64_t oi = 0; oi < s.outHeight; ++oi) {
        // The window's gradient spread over its two columns once, so that the masked loop below reads
        // contiguous memory and vectorises (an index j / 2 there kept it scalar and branchy).
        const float* go = gradOut + oi * s.outWidth;
        for (std::int64_t oj = 0; oj < s.outWidth; ++oj)
            spread[2 * oj] = spread[2 * oj + 1] = 0.25f * go[oj];
        for (std::int64_t i = 2 * oi; i < 2 * oi + 2; ++i) {
            const float* xr = x + i * s.width;
            float* gr = g + i * s.width;
            for (std::int64_t j = 0; j < pairWidth; ++j)
                gr[j] = xr[j] * scale + shift > 0.0f ? spread[j] : 0.0f;
        }
    }
    const std::int64_t n = s.size();
    double accG[kLanes] = {}, accGX[kLanes] = {};
    std::int64_t i = 0;
    for (; i + kLanes <= n; i += kLanes)
        for (int k = 0; k < kLanes; ++k) {
            accG[k] += g[i + k];
            accGX[k] += static_cast<double>(g[i + k]) * (x[i + k] - mean);
        }
    double sg = 0, sgx = 0;
    for (int k = 0; k < kLanes; ++k) {
        sg += accG[k];
        sgx += accGX[k];
    }
    for (; i < n; ++i) {
        sg += g[i];
        sgx += static_cast<double>(g[i]) * (x[i] - mean);
    }
    sumG = sg;
    sumGXhat = sgx * rstd;
    const float meanG = static_cast<float>(sg / n);
    const float meanGXhatRstd = static_cast<float>(sumGXhat / n) * rstd; // mean(g·x̂)·rstd, applied to (x − mean)
    for (std::int64_t k = 0; k < n; ++k)
        dx[k] = scale * (g[k] - meanG - (x[k] - mean) * meanGXhatRstd);
}

/// Runs body(thread, firstPlane, endPlane) over the planes, split evenly over torch's threads.
template <typename Body>
void forEachPlane(std::int64_t planes, int threads, const Body& body)
{
#ifdef _OPENMP
    if (threads > 1 && planes > 1) {
#pragma omp parallel num_threads(threads)
        {
            const std::int64_t t = omp_get_thread_num(), nt = omp_get_num_threads();
            body(static_cast<int>(t), planes * t / nt, planes * (t + 1) / nt);
        }
        return;
    }
#endif
    (void)threads;
    body(0, 0, planes);
}

int threadsFor(std::int64_t values)
{
    return values >= kParallelValues ? std::max(1, at::get_num_threads()) : 1;
}

PlaneShape planeShape(const torch::Tensor& x)
{
    return {x.size(2), x.size(3), x.size(2) / 2, x.size(3) / 2};
}

torch::Tensor floatVector(const torch::Tensor& p)
{
    return p.detach().to(torch::kFloat).contiguous();
}

/// The forward; `mean` and `rstd` (N×C) are filled when defined, for the backward.
torch::Tensor forwardPlanes(const torch::Tensor& input, const torch::Tensor& gamma, const torch::Tensor& beta,
    const torch::Tensor& mean, const torch::Tensor& rstd)
{
    const torch::Tensor x = input.contiguous();
    const PlaneShape s = planeShape(x);
    const std::int64_t channels = x.size(1), planes = x.size(0) * channels;
    torch::Tensor out = torch::empty({x.size(0), channels, s.outHeight, s.outWidth}, x.options());
    const int threads = threadsFor(x.numel());
    torch::Tensor scratch = torch::empty({threads, std::max<std::int64_t>(1, 2 * s.outWidth)}, x.options());
    const torch::Tensor g = floatVector(gamma), b = floatVector(beta);
    const float* xp = x.data_ptr<float>();
    const float* gp = g.data_ptr<float>();
    const float* bp = b.data_ptr<float>();
    float* op = out.data_ptr<float>();
    float* sp = scratch.data_ptr<float>();
    float* meanOut = mean.defined() ? mean.data_ptr<float>() : nullptr;
    float* rstdOut = rstd.defined() ? rstd.data_ptr<float>() : nullptr;
    forEachPlane(planes, threads, [&](int thread, std::int64_t begin, std::int64_t end) {
        float* rowPair = sp + thread * scratch.size(1);
        for (std::int64_t p = begin; p < end; ++p) {
            const float* plane = xp + p * s.size();
            const double m = planeSum(plane, s.size(), 0.0, false) / static_cast<double>(s.size());
            const double var = planeSum(plane, s.size(), m, true) / static_cast<double>(s.size());
            const float mu = static_cast<float>(m);
            const float r = static_cast<float>(1.0 / std::sqrt(var + kInstanceNormEps));
            if (meanOut) {
                meanOut[p] = mu;
                rstdOut[p] = r;
            }
            const std::int64_t c = p % channels;
            const float scale = gp[c] * r;
            planeForward(plane, s, scale, bp[c] - mu * scale, rowPair, op + p * s.outSize());
        }
    });
    return out;
}

struct NormReluPoolFunction : public torch::autograd::Function<NormReluPoolFunction>
{
    static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x, const torch::Tensor& gamma,
        const torch::Tensor& beta)
    {
        const torch::Tensor mean = torch::empty({x.size(0), x.size(1)}, x.options());
        const torch::Tensor rstd = torch::empty_like(mean);
        torch::Tensor out = forwardPlanes(x, gamma, beta, mean, rstd);
        ctx->save_for_backward({x, gamma, beta, mean, rstd});
        return out;
    }

    static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx, torch::autograd::variable_list grads)
    {
        const auto saved = ctx->get_saved_variables();
        const torch::Tensor &x = saved[0], &gamma = saved[1], &beta = saved[2], &mean = saved[3], &rstd = saved[4];
        if (torch::GradMode::is_enabled()) // create_graph: the gradient must itself be differentiable
            return stockBackward(ctx, x, gamma, beta, grads[0]);

        const torch::Tensor gradOut = grads[0].contiguous();
        const torch::Tensor input = x.contiguous();
        const PlaneShape s = planeShape(input);
        const std::int64_t batch = input.size(0), channels = input.size(1), planes = batch * channels;
        torch::Tensor dx = torch::empty_like(input);
        torch::Tensor sums = torch::empty({2, planes}, input.options().dtype(torch::kDouble)); // Σg, Σg·x̂ per plane
        const int threads = threadsFor(input.numel());
        const std::int64_t scratchSize = s.size() + 2 * s.outWidth; // pixel gradients, then one spread row
        torch::Tensor scratch = torch::empty({threads, scratchSize}, input.options());
        const torch::Tensor g = floatVector(gamma), b = floatVector(beta);
        const float* xp = input.data_ptr<float>();
        const float* gop = gradOut.data_ptr<float>();
        const float* mp = mean.data_ptr<float>();
        const float* rp = rstd.data_ptr<float>();
        const float* gp = g.data_ptr<float>();
        const float* bp = b.data_ptr<float>();
        float* dxp = dx.data_ptr<float>();
        double* sumG = sums.data_ptr<double>();
        double* sumGXhat = sumG + planes;
        float* sp = scratch.data_ptr<float>();
        forEachPlane(planes, threads, [&](int thread, std::int64_t begin, std::int64_t end) {
            float* pixelGrad = sp + thread * scratchSize;
            float* spread = pixelGrad + s.size();
            for (std::int64_t p = begin; p < end; ++p) {
                const std::int64_t c = p % channels;
                planeBackward(xp + p * s.size(), gop + p * s.outSize(), s, mp[p], rp[p], gp[c], bp[c], pixelGrad, spread,
                    dxp + p * s.size(), sumG[p], sumGXhat[p]);
            }
        });
        torch::Tensor gradGamma, gradBeta;
        const torch::Tensor perChannel = sums.view({2, batch, channels}).sum(1).to(torch::kFloat);
        if (ctx->needs_input_grad(1))
            gradGamma = perChannel[1].to(gamma.scalar_type());
        if (ctx->needs_input_grad(2))
            gradBeta = perChannel[0].to(beta.scalar_type());
        return {dx, gradGamma, gradBeta};
    }

    static torch::autograd::variable_list stockBackward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x,
        const torch::Tensor& gamma, const torch::Tensor& beta, const torch::Tensor& gradOut)
    {
        // Recompute the forward from stock operations on the saved inputs (still attached to their graph) and take
        // its gradient with create_graph, for the inputs that want one.
        const torch::Tensor y = instanceNormReluPool(x, gamma, beta);
        std::vector<torch::Tensor> wanted;
        std::vector<std::size_t> slots;
        const std::array<const torch::Tensor*, 3> inputs{&x, &gamma, &beta};
        for (std::size_t i = 0; i < inputs.size(); ++i)
            if (ctx->needs_input_grad(i)) {
                wanted.push_back(*inputs[i]);
                slots.push_back(i);
            }
        torch::autograd::variable_list result(inputs.size());
        if (wanted.empty())
            return result;
        const auto grads = torch::autograd::grad({y}, wanted, {gradOut}, /*retain_graph=*/true, /*create_graph=*/true,
            /*allow_unused=*/true);
        for (std::size_t k = 0; k < slots.size(); ++k)
            result[slots[k]] = grads[k];
        return result;
    }
};

} // namespace

bool cpuNormReluPoolSupports(const torch::Tensor& x)
{
    return x.device().is_cpu() && x.scalar_type() == torch::kFloat && x.dim() == 4 && x.size(2) >= 2 && x.size(3) >= 2
        && x.numel() > 0;
}

torch::Tensor cpuNormReluPool(const torch::Tensor& x, const torch::Tensor& gamma, const torch::Tensor& beta)
{
    const bool wantsGraph = torch::GradMode::is_enabled()
        && (x.requires_grad() || gamma.requires_grad() || beta.requires_grad());
    if (!wantsGraph)
        return forwardPlanes(x, gamma, beta, {}, {});
    return NormReluPoolFunction::apply(x, gamma, beta);
}

} // namespace distillery::core

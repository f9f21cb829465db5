// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "augment/dsa.h"

#include <distillery/error.h>

#include <cmath>
#include <sstream>

namespace distillery::core {
namespace {

    // Reference parameters (DC-repo ParamDiffAug).
    constexpr double kBrightness = 1.0; // adds U[-0.5, 0.5]
    constexpr double kSaturation = 2.0; // factor 2u
    constexpr double kContrast = 0.5; // factor u + 0.5
    constexpr double kCropPad = 0.125; // shift up to int(0.125·H + 0.5) pixels
    constexpr double kCutout = 0.5; // square side int(0.5·H + 0.5)
    constexpr double kFlipProbability = 0.5;
    constexpr double kScale = 1.2; // factors in [1/1.2, 1.2]
    constexpr double kRotateDegrees = 15.0;
    constexpr double kPi = 3.14159265358979323846;

    std::int64_t cropShift(std::int64_t size) { return static_cast<std::int64_t>(size * kCropPad + 0.5); }
    std::int64_t cutoutSide(std::int64_t size) { return static_cast<std::int64_t>(size * kCutout + 0.5); }

    torch::Tensor perImage(const torch::Tensor& v) { return v.view({-1, 1, 1, 1}); }

    /// Affine resampling with bilinear interpolation, zeros outside, align_corners = true (the reference's
    /// torch 1.2 behaviour). `theta` is N×2×3 or 1×2×3 (shared).
    torch::Tensor affine(const torch::Tensor& x, torch::Tensor theta)
    {
        if (theta.size(0) == 1 && x.size(0) > 1)
            theta = theta.expand({x.size(0), 2, 3});
        const torch::Tensor grid = torch::nn::functional::affine_grid(theta, x.sizes(), /*align_corners=*/true);
        namespace F = torch::nn::functional;
        return F::grid_sample(x, grid,
            F::GridSampleFuncOptions().mode(torch::kBilinear).padding_mode(torch::kZeros).align_corners(true));
    }

    DsaDraw::Group parseGroup(const std::string& name, const std::string& strategy)
    {
        using G = DsaDraw::Group;
        if (name == "color")
            return G::Color;
        if (name == "crop")
            return G::Crop;
        if (name == "cutout")
            return G::Cutout;
        if (name == "flip")
            return G::Flip;
        if (name == "scale")
            return G::Scale;
        if (name == "rotate")
            return G::Rotate;
        throw Error("DSA strategy \"" + strategy + "\": unknown group \"" + name
            + "\" (use color, crop, cutout, flip, scale, rotate joined by _)");
    }

} // namespace

namespace dsaop {

    torch::Tensor brightness(const torch::Tensor& x, const torch::Tensor& u)
    {
        return x + perImage(u - 0.5) * kBrightness;
    }

    torch::Tensor saturation(const torch::Tensor& x, const torch::Tensor& u)
    {
        // With one channel the channel mean is the pixel itself: a no-op, as in the reference.
        const torch::Tensor mean = x.mean(1, /*keepdim=*/true);
        return (x - mean) * perImage(u * kSaturation) + mean;
    }

    torch::Tensor contrast(const torch::Tensor& x, const torch::Tensor& u)
    {
        const torch::Tensor mean = x.mean({1, 2, 3}, /*keepdim=*/true);
        return (x - mean) * perImage(u + kContrast) + mean;
    }

    torch::Tensor crop(const torch::Tensor& x, const torch::Tensor& shiftH, const torch::Tensor& shiftW)
    {
        const auto n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        const auto opts = torch::TensorOptions().dtype(torch::kInt64).device(x.device());
        // out(i, j) = x(i + t_h, j + t_w) inside the image, 0 outside (the reference pads one zero pixel and
        // clamps the index into the padding).
        const torch::Tensor rows = torch::arange(h, opts).view({1, h, 1}) + shiftH.to(opts).view({-1, 1, 1});
        const torch::Tensor cols = torch::arange(w, opts).view({1, 1, w}) + shiftW.to(opts).view({-1, 1, 1});
        const torch::Tensor inside = ((rows >= 0) & (rows < h)) & ((cols >= 0) & (cols < w)); // N'×H×W
        torch::Tensor index = (rows.clamp(0, h - 1) * w + cols.clamp(0, w - 1)).expand({-1, h, w});
        if (index.size(0) == 1 && n > 1)
            index = index.expand({n, h, w});
        const torch::Tensor gathered = x.reshape({n, c, h * w}).gather(2, index.reshape({n, 1, h * w}).expand({n, c, h * w}));
        return gathered.view({n, c, h, w}) * inside.unsqueeze(1).to(x.dtype());
    }

    torch::Tensor cutout(const torch::Tensor& x, const torch::Tensor& centreH, const torch::Tensor& centreW)
    {
        const auto h = x.size(2), w = x.size(3);
        const auto sideH = cutoutSide(h), sideW = cutoutSide(w);
        const auto opts = torch::TensorOptions().dtype(torch::kInt64).device(x.device());
        const torch::Tensor top = centreH.to(opts).view({-1, 1, 1}) - sideH / 2;
        const torch::Tensor left = centreW.to(opts).view({-1, 1, 1}) - sideW / 2;
        const torch::Tensor rows = torch::arange(h, opts).view({1, h, 1});
        const torch::Tensor cols = torch::arange(w, opts).view({1, 1, w});
        // Squares reaching over the border are truncated, exactly like the reference's clamped indices.
        const torch::Tensor erased = (rows >= top) & (rows < top + sideH) & (cols >= left) & (cols < left + sideW);
        return x * (~erased).unsqueeze(1).to(x.dtype());
    }

    torch::Tensor flip(const torch::Tensor& x, const torch::Tensor& u)
    {
        return torch::where(perImage(u) < kFlipProbability, x.flip({3}), x);
    }

    torch::Tensor scale(const torch::Tensor& x, const torch::Tensor& sx, const torch::Tensor& sy)
    {
        const torch::Tensor zero = torch::zeros_like(sx);
        const torch::Tensor theta
            = torch::stack({torch::stack({sx, zero, zero}, 1), torch::stack({zero, sy, zero}, 1)}, 1); // N×2×3
        return affine(x, theta.to(x.dtype()));
    }

    torch::Tensor rotate(const torch::Tensor& x, const torch::Tensor& radians)
    {
        const torch::Tensor c = radians.cos(), s = radians.sin(), zero = torch::zeros_like(radians);
        const torch::Tensor theta = torch::stack({torch::stack({c, -s, zero}, 1), torch::stack({s, c, zero}, 1)}, 1);
        return affine(x, theta.to(x.dtype()));
    }

} // namespace dsaop

Dsa::Dsa(const std::string& strategy, std::uint64_t seed)
    : m_strategy(strategy)
    , m_rng(seed)
{
    std::stringstream parts(strategy);
    std::string part;
    while (std::getline(parts, part, '_'))
        if (!part.empty())
            m_groups.push_back(parseGroup(part, strategy));
    if (m_groups.empty())
        throw Error("DSA strategy: empty (use e.g. " + std::string(kDsaStrategyDefault) + ")");
}

std::size_t Dsa::chooseGroupIndex()
{
    return std::uniform_int_distribution<std::size_t>(0, m_groups.size() - 1)(m_rng);
}

DsaDraw Dsa::draw(std::int64_t n, std::int64_t h, std::int64_t w, torch::Device device)
{
    const DsaDraw::Group group = m_groups[chooseGroupIndex()];
    return drawGroup(group, n, h, w, device);
}

std::vector<DsaDraw> Dsa::drawEveryGroup(std::int64_t n, std::int64_t h, std::int64_t w, torch::Device device) const
{
    std::vector<DsaDraw> draws;
    draws.reserve(m_groups.size());
    for (const DsaDraw::Group group : m_groups)
        draws.push_back(drawGroup(group, n, h, w, device));
    return draws;
}

DsaDraw Dsa::drawGroup(DsaDraw::Group group, std::int64_t n, std::int64_t h, std::int64_t w, torch::Device device)
{
    using G = DsaDraw::Group;
    DsaDraw d;
    d.group = group;
    const auto real = torch::TensorOptions().dtype(torch::kFloat32).device(device);
    const auto integer = torch::TensorOptions().dtype(torch::kInt64).device(device);
    switch (d.group) {
    case G::Color:
        d.values = {torch::rand({n}, real), torch::rand({n}, real), torch::rand({n}, real)};
        break;
    case G::Crop: {
        const auto sh = cropShift(h), sw = cropShift(w);
        d.values = {torch::randint(-sh, sh + 1, {n}, integer), torch::randint(-sw, sw + 1, {n}, integer)};
        break;
    }
    case G::Cutout: {
        const auto qh = cutoutSide(h), qw = cutoutSide(w);
        d.values = {torch::randint(0, h + (1 - qh % 2), {n}, integer), torch::randint(0, w + (1 - qw % 2), {n}, integer)};
        break;
    }
    case G::Flip:
        d.values = {torch::rand({n}, real)};
        break;
    case G::Scale:
        d.values = {torch::rand({n}, real) * (kScale - 1.0 / kScale) + 1.0 / kScale,
            torch::rand({n}, real) * (kScale - 1.0 / kScale) + 1.0 / kScale};
        break;
    case G::Rotate:
        d.values = {(torch::rand({n}, real) - 0.5) * 2.0 * kRotateDegrees / 180.0 * kPi};
        break;
    }
    return d;
}

torch::Tensor Dsa::apply(const torch::Tensor& x, const DsaDraw& d)
{
    using G = DsaDraw::Group;
    const auto& v = d.values;
    switch (d.group) {
    case G::Color:
        return dsaop::contrast(dsaop::saturation(dsaop::brightness(x, v[0]), v[1]), v[2]);
    case G::Crop:
        return dsaop::crop(x, v[0], v[1]);
    case G::Cutout:
        return dsaop::cutout(x, v[0], v[1]);
    case G::Flip:
        return dsaop::flip(x, v[0]);
    case G::Scale:
        return dsaop::scale(x, v[0], v[1]);
    case G::Rotate:
        return dsaop::rotate(x, v[0]);
    }
    return x;
}

torch::Tensor Dsa::applyChosen(const torch::Tensor& x, const std::vector<DsaDraw>& draws, const torch::Tensor& choice)
{
    if (draws.size() == 1)
        return apply(x, draws[0]);
    std::vector<torch::Tensor> candidates;
    candidates.reserve(draws.size());
    for (const auto& d : draws)
        candidates.push_back(apply(x, d));
    return torch::stack(candidates).index_select(0, choice.view({1})).squeeze(0);
}

DsaDraw repeatRows(const DsaDraw& perClass, std::int64_t rows)
{
    DsaDraw d = perClass;
    for (auto& v : d.values)
        v = v.repeat_interleave(rows);
    return d;
}

DsaDraw selectRow(const DsaDraw& draw, std::int64_t index)
{
    DsaDraw d = draw;
    for (auto& v : d.values)
        v = v.slice(0, index, index + 1);
    return d;
}

torch::Tensor Dsa::operator()(const torch::Tensor& x)
{
    return apply(x, draw(x.size(0), x.size(2), x.size(3), x.device()));
}

std::vector<torch::Tensor> Dsa::siamese(const std::vector<torch::Tensor>& batches)
{
    if (batches.empty())
        return {};
    const DsaDraw shared = draw(1, batches[0].size(2), batches[0].size(3), batches[0].device());
    std::vector<torch::Tensor> out;
    out.reserve(batches.size());
    for (const auto& b : batches)
        out.push_back(apply(b, shared));
    return out;
}

} // namespace distillery::core

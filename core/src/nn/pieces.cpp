// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "nn/pieces.h"

#include <distillery/error.h>

#include <algorithm>
#include <limits>

namespace distillery::core {

std::int64_t largestActivationBytes(const ModelConfig& model, const NetworkShape& shape)
{
    // 28×28 inputs are padded to 32×32 by the ConvNet's first convolution (docs/methods.md §1.1).
    const std::int64_t pixels = (shape.height == 28 && shape.width == 28) ? 32 * 32 : std::int64_t(shape.height) * shape.width;
    const std::int64_t input = std::int64_t(shape.channels) * shape.height * shape.width;
    std::int64_t floats = input;
    if (model.arch == "convnet")
        floats = std::int64_t(model.width) * pixels;
    else if (model.arch == "lenet")
        floats = 6 * std::int64_t(shape.height) * shape.width;
    else if (model.arch == "resnet18")
        floats = 64 * std::int64_t(shape.height) * shape.width;
    else if (model.arch == "mlp")
        floats = std::max<std::int64_t>(input, 128);
    return std::max(floats, input) * static_cast<std::int64_t>(sizeof(float));
}

std::int64_t rowsPerPiece(const ModelConfig& model, const NetworkShape& shape, torch::Device device, std::int64_t budgetBytes)
{
    if (!device.is_cpu() || budgetBytes <= 0)
        return std::numeric_limits<std::int64_t>::max();
    return std::max<std::int64_t>(1, budgetBytes / largestActivationBytes(model, shape));
}

std::int64_t pieceBudgetBytes(const PerformanceConfig& performance)
{
    return static_cast<std::int64_t>(performance.cpuPieceMiB) * 1024 * 1024;
}

namespace {

    void requireRows(std::int64_t rows)
    {
        if (rows < 1)
            throw Error("pieces: at least one row per piece");
    }

    /// `f` on consecutive row slices of `x` of at most `rows` rows, in order.
    void forEachPiece(const torch::Tensor& x, std::int64_t rows, const std::function<void(const torch::Tensor&)>& f)
    {
        const std::int64_t n = x.size(0);
        for (std::int64_t start = 0; start < n; start += rows)
            f(x.slice(0, start, std::min(n, start + rows)));
    }

} // namespace

torch::Tensor mapInPieces(const torch::Tensor& x, std::int64_t rows, const std::function<torch::Tensor(const torch::Tensor&)>& f)
{
    requireRows(rows);
    if (x.size(0) <= rows)
        return f(x);
    std::vector<torch::Tensor> parts;
    forEachPiece(x, rows, [&](const torch::Tensor& piece) { parts.push_back(f(piece)); });
    return torch::cat(parts);
}

std::vector<torch::Tensor> meanGradientInPieces(const torch::Tensor& x, std::int64_t rows,
    const std::function<std::vector<torch::Tensor>(const torch::Tensor&)>& meanGradient)
{
    requireRows(rows);
    if (x.size(0) <= rows)
        return meanGradient(x);
    std::vector<torch::Tensor> sum;
    forEachPiece(x, rows, [&](const torch::Tensor& piece) {
        const double share = static_cast<double>(piece.size(0)) / static_cast<double>(x.size(0));
        std::vector<torch::Tensor> part = meanGradient(piece);
        if (sum.empty()) {
            for (auto& g : part)
                sum.push_back(g * share);
            return;
        }
        if (part.size() != sum.size())
            throw Error("pieces: a piece returned a different number of gradients");
        for (std::size_t i = 0; i < sum.size(); ++i)
            sum[i].add_(part[i], share);
    });
    return sum;
}

} // namespace distillery::core

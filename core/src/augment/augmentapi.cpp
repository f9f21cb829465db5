// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// The torch-free face of DSA (distillery/augment.h).
#include "augment/dsa.h"
#include "util/torchutil.h"

#include <distillery/augment.h>
#include <distillery/error.h>

namespace distillery::core {
namespace {

    /// Column `k` of the parameter rows as a tensor of N (or 1) values.
    torch::Tensor column(const std::vector<std::vector<double>>& params, std::size_t k, torch::ScalarType type)
    {
        std::vector<double> values;
        for (const auto& row : params) {
            if (row.size() <= k)
                throw Error("DSA parameters: each row needs " + std::to_string(k + 1) + " values");
            values.push_back(row[k]);
        }
        return torch::tensor(values, torch::kFloat64).to(type);
    }

} // namespace

ImageBatch applyDsaOperation(const ImageBatch& images, DsaOp op, const std::vector<std::vector<double>>& params)
{
    if (params.size() != 1 && params.size() != static_cast<std::size_t>(images.count))
        throw Error("DSA parameters: give one row, or one row per image");
    return translateErrors("DSA", [&] {
        torch::NoGradGuard noGrad;
        const torch::Tensor x = toTensor(images);
        auto real = [&](std::size_t k) { return column(params, k, torch::kFloat32); };
        auto integer = [&](std::size_t k) { return column(params, k, torch::kFloat64).round().to(torch::kInt64); };
        constexpr double kRadiansPerDegree = 3.14159265358979323846 / 180.0;
        torch::Tensor y;
        switch (op) {
        case DsaOp::Brightness:
            y = dsaop::brightness(x, real(0));
            break;
        case DsaOp::Saturation:
            y = dsaop::saturation(x, real(0));
            break;
        case DsaOp::Contrast:
            y = dsaop::contrast(x, real(0));
            break;
        case DsaOp::Crop:
            y = dsaop::crop(x, integer(0), integer(1));
            break;
        case DsaOp::Cutout:
            y = dsaop::cutout(x, integer(0), integer(1));
            break;
        case DsaOp::Flip:
            y = dsaop::flip(x, real(0));
            break;
        case DsaOp::Scale:
            y = dsaop::scale(x, real(0), real(1));
            break;
        case DsaOp::Rotate:
            y = dsaop::rotate(x, real(0) * kRadiansPerDegree);
            break;
        }
        return toImageBatch(y);
    });
}

ImageBatch dsaAugment(const ImageBatch& images, const std::string& strategy, std::uint64_t seed, bool siamese)
{
    return translateErrors("DSA", [&] {
        torch::NoGradGuard noGrad;
        torch::manual_seed(seed);
        Dsa dsa(strategy, seed);
        const torch::Tensor x = toTensor(images);
        return toImageBatch(siamese ? dsa.siamese({x}).front() : dsa(x));
    });
}

void checkDsaStrategy(const std::string& strategy)
{
    Dsa(strategy, 0);
}

} // namespace distillery::core

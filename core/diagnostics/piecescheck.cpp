// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// The pieces check of distillery/diagnostics.h: a pass in pieces against the same pass in one batch.
#include "comparison.h"
#include "nn/network.h"
#include "nn/pieces.h"
#include "util/torchutil.h"

#include <distillery/diagnostics.h>
#include <distillery/error.h>

namespace distillery::core {

PiecesCheck checkPieces(const ModelConfig& model, int channels, int size, int classes, int images, std::int64_t budgetBytes,
    std::uint64_t seed)
{
    return translateErrors("pieces check", [&] {
        const NetworkShape shape{channels, size, size, classes};
        Network net = makeSeededNetwork(model, shape, seed, torch::kCPU);
        net->train();
        const torch::Tensor x = torch::randn({images, channels, size, size});
        const torch::Tensor y = torch::arange(images, torch::kInt64).remainder(classes);
        PiecesCheck check;
        check.largestActivationBytes = largestActivationBytes(model, shape);
        check.rowsPerPiece = rowsPerPiece(model, shape, torch::kCPU, budgetBytes);

        {
            torch::NoGradGuard noGrad;
            const torch::Tensor whole = net->embed(x);
            const torch::Tensor pieces = mapInPieces(x, check.rowsPerPiece, [&](const torch::Tensor& piece) {
                ++check.embeddingPieces;
                return net->embed(piece);
            });
            check.embeddingError = relativeError(pieces, whole);
        }

        const std::vector<torch::Tensor> parameters = net->parameters();
        auto meanGradient = [&](const torch::Tensor& piece, const torch::Tensor& labels) {
            const torch::Tensor loss = torch::nn::functional::cross_entropy(net->forward(piece), labels);
            return torch::autograd::grad({loss}, parameters);
        };
        const std::vector<torch::Tensor> whole = meanGradient(x, y);
        std::int64_t offset = 0; // pieces come in order, so each one's labels follow the last one's
        const std::vector<torch::Tensor> pieces = meanGradientInPieces(x, check.rowsPerPiece, [&](const torch::Tensor& piece) {
            ++check.gradientPieces;
            const torch::Tensor labels = y.slice(0, offset, offset + piece.size(0));
            offset += piece.size(0);
            return meanGradient(piece, labels);
        });
        if (pieces.size() != whole.size())
            throw Error("pieces check: " + std::to_string(pieces.size()) + " gradients in pieces, " + std::to_string(whole.size())
                + " in one batch");
        check.gradientError = relativeError(pieces, whole);
        return check;
    });
}

} // namespace distillery::core

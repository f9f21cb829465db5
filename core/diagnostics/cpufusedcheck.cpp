// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// The CPU fused-pass checks of distillery/diagnostics.h: nn/cpunormrelupool against the stock operations.
#include "comparison.h"
#include "nn/convnet.h"
#include "nn/cpunormrelupool.h"
#include "nn/fusedconvnet.h"
#include "nn/layers.h"
#include "util/torchutil.h"

#include <distillery/diagnostics.h>
#include <distillery/error.h>

namespace distillery::core {
namespace {

    /// The reference, written with other library operations than nn/layers' instanceNormReluPool (group_norm,
    /// avg_pool2d), so that it also checks the fused pass's fallback for gradients of gradients, which is that one.
    torch::Tensor stockNormReluPool(const torch::Tensor& x, const torch::Tensor& gamma, const torch::Tensor& beta)
    {
        const torch::Tensor y = torch::relu(torch::group_norm(x, x.size(1), gamma, beta, kInstanceNormEps));
        const auto h = x.size(2) / 2 * 2, w = x.size(3) / 2 * 2;
        return torch::avg_pool2d(y.slice(2, 0, h).slice(3, 0, w), 2, 2);
    }

    /// Restores the process-wide fused switch however the check ends.
    class FusedSwitch
    {
    public:
        FusedSwitch()
            : m_before(fusedKernelsEnabled())
        {
        }
        ~FusedSwitch() { setFusedKernelsEnabled(m_before); }
        FusedSwitch(const FusedSwitch&) = delete;
        FusedSwitch& operator=(const FusedSwitch&) = delete;

    private:
        bool m_before;
    };

} // namespace

CpuNormReluPoolCheck checkCpuNormReluPool(int batch, int channels, int height, int width, std::uint64_t seed)
{
    return translateErrors("CPU fused norm/ReLU/pool check", [&] {
        torch::manual_seed(seed);
        // Around zero, so that the ReLU cuts about half the values; γ and β away from their defaults.
        const torch::Tensor x0 = torch::randn({batch, channels, height, width}) * 3 + 0.5;
        const torch::Tensor gamma0 = torch::rand({channels}) + 0.5;
        const torch::Tensor beta0 = torch::randn({channels}) * 0.3;
        const torch::Tensor weights = torch::randn({batch, channels, height / 2, width / 2});
        CpuNormReluPoolCheck check;

        auto run = [&](bool fused) {
            const torch::Tensor x = x0.clone().requires_grad_(true);
            const torch::Tensor gamma = gamma0.clone().requires_grad_(true);
            const torch::Tensor beta = beta0.clone().requires_grad_(true);
            const torch::Tensor out = fused ? cpuNormReluPool(x, gamma, beta) : stockNormReluPool(x, gamma, beta);
            const torch::Tensor loss = (out * weights).sum();
            // First order as a training step takes it (the fused backward), then with create_graph (under which
            // the fused function recomputes with stock operations) for a second order: the squared norm of the
            // input gradient, differentiated by γ.
            const auto grads = torch::autograd::grad({loss}, {x, gamma, beta}, {}, /*retain_graph=*/true);
            const torch::Tensor inputGradient = torch::autograd::grad({loss}, {x}, {}, true, /*create_graph=*/true)[0];
            const torch::Tensor second = torch::autograd::grad({inputGradient.pow(2).sum()}, {gamma})[0];
            return std::vector<torch::Tensor>{out.detach(), grads[0], grads[1], grads[2], second};
        };
        const auto fused = run(true);
        const auto stock = run(false);
        check.forwardError = relativeError(fused[0], stock[0]);
        check.inputGradientError = relativeError(fused[1], stock[1]);
        check.gammaGradientError = relativeError(fused[2], stock[2]);
        check.betaGradientError = relativeError(fused[3], stock[3]);
        check.secondOrderError = relativeError(fused[4], stock[4]);
        {
            torch::NoGradGuard noGrad;
            check.noGradForwardError = relativeError(cpuNormReluPool(x0, gamma0, beta0), stock[0]);
        }
        return check;
    });
}

CpuFusedConvNetCheck checkCpuFusedConvNet(const ModelConfig& model, int channels, int size, int images, std::uint64_t seed)
{
    return translateErrors("CPU fused ConvNet check", [&] {
        const FusedSwitch restore;
        const NetworkShape shape{channels, size, size, 10};
        Network net = makeSeededNetwork(model, shape, seed, torch::kCPU);
        auto* convnet = dynamic_cast<ConvNetImpl*>(net.get());
        if (!convnet)
            throw Error("CPU fused ConvNet check: the model is not a ConvNet");
        torch::manual_seed(seed + 1);
        const torch::Tensor pixels = torch::rand({images, channels, size, size});
        const torch::Tensor target = torch::randn({images, shape.numClasses});
        const std::vector<torch::Tensor> parameters = net->parameters();

        auto run = [&](bool fused) {
            setFusedKernelsEnabled(fused);
            const torch::Tensor x = pixels.clone().requires_grad_(true);
            const torch::Tensor embedding = net->embed(x);
            const torch::Tensor logits = net->forward(x); // the classifier too, so that every parameter has a gradient
            std::vector<torch::Tensor> inputs{x};
            inputs.insert(inputs.end(), parameters.begin(), parameters.end());
            const auto grads = torch::autograd::grad({(logits - target).pow(2).sum() + embedding.sum()}, inputs);
            std::vector<torch::Tensor> result{embedding.detach()};
            result.insert(result.end(), grads.begin(), grads.end());
            return result;
        };
        setFusedKernelsEnabled(true);
        CpuFusedConvNetCheck check;
        check.fusedPathTaken = convnet->usesCpuFusedPath(pixels);
        const auto fused = run(true);
        const auto stock = run(false);
        check.embeddingError = relativeError(fused[0], stock[0]);
        check.pixelGradientError = relativeError(fused[1], stock[1]);
        check.parameterGradientError = relativeError(std::vector<torch::Tensor>(fused.begin() + 2, fused.end()),
            std::vector<torch::Tensor>(stock.begin() + 2, stock.end()));
        return check;
    });
}

} // namespace distillery::core

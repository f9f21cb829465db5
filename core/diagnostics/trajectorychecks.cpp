// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// The trajectory methods' checks of distillery/diagnostics.h: the functional forward, the gradient through one
// unrolled step, and MTT's constant-memory gradient against the full unroll.
#include "methods/mtt.h"
#include "nn/functionalnet.h"
#include "nn/training.h"
#include "util/torchutil.h"

#include <distillery/device.h>
#include <distillery/diagnostics.h>
#include <distillery/error.h>
#include <distillery/session.h>

namespace distillery::core {
namespace {

    double cosine(const torch::Tensor& a, const torch::Tensor& b)
    {
        const auto x = a.flatten().to(torch::kFloat64), y = b.flatten().to(torch::kFloat64);
        return ((x * y).sum() / (x.norm() * y.norm() + 1e-30)).item<double>();
    }

} // namespace

double functionalForwardError(const ModelConfig& model, int channels, int size, int classes, int batch, std::uint64_t seed)
{
    return translateErrors("functional forward check", [&] {
        const NetworkShape shape{channels, size, size, classes};
        Network net = makeSeededNetwork(model, shape, seed, torch::kCPU);
        net->train();
        {
            // Non-trivial norm affines, so that they are exercised.
            torch::NoGradGuard noGrad;
            for (auto& p : net->parameters())
                if (p.dim() == 1)
                    p.add_(torch::randn_like(p) * 0.3);
        }
        const FunctionalNet functional(*net, model);
        const torch::Tensor x = torch::randn({batch, channels, size, size});
        torch::NoGradGuard noGrad;
        const torch::Tensor expected = net->forward(x);
        const torch::Tensor actual = functional.forward(functional.flatten(*net), x);
        return ((actual - expected).abs().max() / expected.abs().max()).item<double>();
    });
}

double unrolledStepGradientError(const ModelConfig& model, int channels, int size, int classes, int probes, std::uint64_t seed)
{
    return translateErrors("unrolled step gradient check", [&] {
        const NetworkShape shape{channels, size, size, classes};
        Network net = makeSeededNetwork(model, shape, seed, torch::kCPU);
        const FunctionalNet functional(*net, model);
        const torch::Tensor theta0 = functional.flatten(*net).to(torch::kFloat64);
        torch::manual_seed(seed);
        const torch::Tensor labels = torch::arange(2 * classes) % classes;
        const auto f = [&](const torch::Tensor& x, const torch::Tensor& alpha) {
            const torch::Tensor theta = theta0.clone().requires_grad_(true);
            const torch::Tensor loss = classificationLoss(functional.forward(theta, x), labels);
            const torch::Tensor g = torch::autograd::grad({loss}, {theta}, {}, true, true)[0];
            return (theta - alpha * g).pow(2).sum();
        };
        const torch::Tensor x = torch::randn({2 * classes, channels, size, size}, torch::kFloat64).requires_grad_(true);
        const torch::Tensor alpha = torch::full({}, 0.5, torch::kFloat64).requires_grad_(true);
        const auto grads = torch::autograd::grad({f(x, alpha)}, {x, alpha});
        double worst = 0;
        const double h = 1e-5;
        torch::NoGradGuard noGrad;
        for (int probe = 0; probe <= probes; ++probe) {
            double numeric = 0, analytic = 0;
            torch::GradMode::set_enabled(true);
            if (probe == probes) { // α
                numeric = (f(x.detach(), alpha.detach() + h) - f(x.detach(), alpha.detach() - h)).item<double>() / (2 * h);
                analytic = grads[1].item<double>();
            } else {
                const std::int64_t i = torch::randint(x.numel(), {1}).item<std::int64_t>();
                torch::Tensor plus = x.detach().clone(), minus = x.detach().clone();
                plus.view({-1})[i] += h;
                minus.view({-1})[i] -= h;
                numeric = (f(plus, alpha.detach()) - f(minus, alpha.detach())).item<double>() / (2 * h);
                analytic = grads[0].view({-1})[i].item<double>();
            }
            torch::GradMode::set_enabled(false);
            worst = std::max(worst, std::abs(numeric - analytic) / std::max(1e-6, std::abs(analytic)));
        }
        return worst;
    });
}

MttGradientCheck checkMttGradients(const RunConfig& runConfig)
{
    RunConfig config = runConfig;
    config.method = "mtt";
    validate(config);
    setThreadCount(config.threads);
    const std::string device = resolveDevice(config.device);
    return translateErrors("MTT gradient check", [&] {
        const auto data = loadDataset(config.data, toTorchDevice(device));
        config = resolveConfig(config, data->info());
        torch::manual_seed(config.seed);
        MttMethod method;
        method.init({*data, config, nullptr, {}, {}});
        torch::manual_seed(1);
        const auto full = method.gradients(1, false);
        torch::manual_seed(1); // the same batches and augmentation
        const auto constant = method.gradients(1, true);
        MttGradientCheck check;
        check.loss = full.loss.item<double>();
        check.imageCosine = cosine(full.images, constant.images);
        check.imageRelativeError = ((constant.images - full.images).norm() / full.images.norm()).item<double>();
        check.alphaFull = full.alpha.item<double>();
        check.alphaConstant = constant.alpha.item<double>();
        if (full.labelLogits.defined())
            check.labelCosine = cosine(full.labelLogits, constant.labelLogits);
        return check;
    });
}

} // namespace distillery::core

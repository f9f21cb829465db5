// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// The inner-loop checks of distillery/diagnostics.h: the fixed-shape and graphed inner loops against the reference.
#include "augment/dsa.h"
#include "comparison.h"
#include "methods/innerloop.h"
#include "nn/network.h"
#include "util/cudagraph.h"
#include "util/torchutil.h"

#include <distillery/device.h>
#include <distillery/diagnostics.h>
#include <distillery/error.h>
#include <distillery/performance.h>

#include <optional>

namespace distillery::core {
namespace {

    InnerLoopMode parseMode(const std::string& name)
    {
        if (name == "reference")
            return InnerLoopMode::Reference;
        if (name == "fixed-shape")
            return InnerLoopMode::FixedShape;
        if (name == "graphed")
            return InnerLoopMode::Graphed;
        throw Error("inner-loop check: unknown mode \"" + name + "\" (use reference, fixed-shape or graphed)");
    }

    std::string modeName(InnerLoopMode mode)
    {
        switch (mode) {
        case InnerLoopMode::Reference:
            return "reference";
        case InnerLoopMode::FixedShape:
            return "fixed-shape";
        case InnerLoopMode::Graphed:
            return "graphed";
        }
        return "?";
    }

    /// Parameters, then buffers (batch-norm statistics).
    std::vector<torch::Tensor> stateOf(NetworkImpl& net)
    {
        std::vector<torch::Tensor> state = net.parameters();
        for (const auto& b : net.buffers())
            state.push_back(b);
        return state;
    }

    std::vector<torch::Tensor> snapshot(NetworkImpl& net)
    {
        torch::NoGradGuard noGrad;
        std::vector<torch::Tensor> out;
        for (const auto& t : stateOf(net))
            out.push_back(t.detach().clone().to(torch::kFloat64));
        return out;
    }

    void restore(NetworkImpl& net, const std::vector<torch::Tensor>& values)
    {
        torch::NoGradGuard noGrad;
        const auto state = stateOf(net);
        for (std::size_t i = 0; i < state.size(); ++i)
            state[i].copy_(values[i]);
    }

    double setLoss(NetworkImpl& net, const torch::Tensor& images, const torch::Tensor& labels)
    {
        torch::NoGradGuard noGrad;
        net.eval();
        const double loss = torch::nn::functional::cross_entropy(net.forward(images), labels).item<double>();
        net.train();
        return loss;
    }

    /// cuDNN's determinism switch for the duration of a check, put back afterwards.
    class DeterministicCudnn final
    {
    public:
        DeterministicCudnn()
            : m_before(at::globalContext().deterministicCuDNN())
        {
            at::globalContext().setDeterministicCuDNN(true);
        }
        ~DeterministicCudnn() { at::globalContext().setDeterministicCuDNN(m_before); }
        DeterministicCudnn(const DeterministicCudnn&) = delete;
        DeterministicCudnn& operator=(const DeterministicCudnn&) = delete;

    private:
        bool m_before;
    };

} // namespace

InnerLoopCheck checkInnerLoop(const InnerLoopCase& c)
{
    if (c.images < 1 || c.classes < 1 || c.batch < 1 || c.epochs < 1)
        throw Error("inner-loop check: images, classes, batch and epochs must be positive");
    const std::string device = resolveDevice(c.device);
    PerformanceConfig exact;
    exact.tf32 = false;
    exact.cudnnBenchmark = false;
    applyPerformanceSettings(exact, device);
    const DeterministicCudnn deterministic;
    struct Emulation
    {
        explicit Emulation(bool on) { CudaGraph::setCpuEmulation(on); }
        ~Emulation() { CudaGraph::setCpuEmulation(false); }
    } emulation{c.emulateGraphs};
    return translateErrors("inner-loop check", [&] {
        const torch::Device dev = toTorchDevice(device);
        torch::manual_seed(c.seed);
        const torch::Tensor images
            = torch::randn({c.images, c.channels, c.size, c.size}, torch::TensorOptions().dtype(torch::kFloat32)).to(dev);
        const torch::Tensor labels = (torch::arange(c.images, torch::kInt64) % c.classes).to(dev);
        ModelConfig model;
        model.width = c.netWidth;
        model.depth = c.depth;
        model.norm = c.norm;
        const Network net = makeSeededNetwork(model, {c.channels, c.size, c.size, c.classes}, c.seed + 1, dev);
        net->train();
        const std::vector<torch::Tensor> start = snapshot(*net);

        auto runMode = [&](const std::string& name, std::string& ran, std::string& reason) {
            restore(*net, start);
            std::optional<Dsa> dsa;
            if (c.augment != "none")
                dsa.emplace(c.augment, c.seed + 2);
            torch::Tensor held; // with liveParameterGraph: a loss whose graph reaches every parameter
            if (c.liveParameterGraph)
                held = torch::nn::functional::cross_entropy(net->forward(images), labels);
            InnerLoop loop(*net, images, labels, dsa ? &*dsa : nullptr, 0.01, false, parseMode(name), c.batch);
            if (c.prepareFirst)
                loop.prepare(); // capture (graphed) before seeding, so both modes start from the same generator state
            torch::manual_seed(c.seed + 3);
            loop.train(c.epochs);
            ran = modeName(loop.mode());
            if (reason.empty())
                reason = loop.fallbackReason();
            return snapshot(*net);
        };

        InnerLoopCheck check;
        restore(*net, start);
        check.lossBefore = setLoss(*net, images, labels);
        const std::vector<torch::Tensor> first = runMode(c.first, check.firstMode, check.fallbackReason);
        check.lossAfter = setLoss(*net, images, labels);
        const std::vector<torch::Tensor> second = runMode(c.second, check.secondMode, check.fallbackReason);
        check.parameterDifference = relativeError(second, first);
        check.parameterChange = relativeError(first, start);
        return check;
    });
}

DsaChosenCheck checkDsaApplyChosen(const std::string& strategy, std::uint64_t seed)
{
    return translateErrors("DSA applyChosen check", [&] {
        torch::manual_seed(seed);
        Dsa dsa(strategy, seed);
        const torch::Tensor x = torch::rand({6, 3, 10, 10});
        const std::vector<DsaDraw> draws = dsa.drawEveryGroup(x.size(0), x.size(2), x.size(3), x.device());
        DsaChosenCheck check;
        torch::Tensor firstOutput;
        for (std::size_t k = 0; k < draws.size(); ++k) {
            const torch::Tensor choice = torch::full({1}, static_cast<std::int64_t>(k), torch::kInt64);
            const torch::Tensor chosen = Dsa::applyChosen(x, draws, choice);
            check.differenceFromApply.push_back((chosen - Dsa::apply(x, draws[k])).abs().max().item<double>());
            if (k == 0)
                firstOutput = chosen;
            check.differenceFromFirst.push_back((chosen - firstOutput).abs().max().item<double>());
        }
        return check;
    });
}

} // namespace distillery::core

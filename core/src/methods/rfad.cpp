// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "methods/rfad.h"

#include "methods/commonparams.h"
#include "methods/evaldefaults.h"
#include "methods/kernelridge.h"
#include "methods/matchingtools.h"
#include "nn/pieces.h"
#include "util/torchutil.h"

#include <distillery/error.h>


namespace distillery::core {
namespace {

    // Adam as in the reference's AdaBelief (β 0.9, 0.999); LibTorch has no AdaBelief (docs/methods.md §9.3).
    constexpr double kBeta1 = 0.9;
    constexpr double kBeta2 = 0.999;
    constexpr std::uint64_t kStreamNetworks = 0xFA;
    constexpr double kScaleLearningRate = 1e-2; // the reference's rate for the Platt scale
    constexpr const char* kScaleStatePrefix = "platt_";

} // namespace

MethodInfo RfadMethod::info() const
{
    return {"rfad", "Random-feature kernel (RFAD)",
        "Makes the synthetic images the support of a kernel regression, built from random untrained networks, "
        "that predicts real images' classes.",
        false,
        "<h3>Random-feature kernel distillation (RFAD)</h3>"
        "<p>Take a few networks with <b>random, untrained</b> weights and describe every image by their features. "
        "Treat the synthetic images as the <b>only training set</b> of a kernel ridge regression on those features: "
        "its answer for a new image is solved in closed form, no training loop needed. Ask it to classify a batch "
        "of real images, and move the synthetic pixels so that its answers get right.</p>"
        "<p style='font-family:serif'>L = &frac12; mean &#8214; Y<sub>real</sub> &minus; K<sub>real,syn</sub> "
        "(K<sub>syn,syn</sub> + &rho;I)<sup>&minus;1</sup> Y<sub>syn</sub> &#8214;&sup2;</p>"
        "<p>Watch: the images drift from the real ones they started as towards what lets a handful of them answer "
        "for a whole class. The per-class curves show which classes the regression still gets wrong.</p>"};
}

std::string RfadMethod::lossName() const
{
    return "kernel regression error";
}

std::vector<ParamSpec> RfadMethod::parameters() const
{
    // Paper: yolky/RFAD run_distillation.py (Adam-like AdaBelief lr 1e-3, 8 models redrawn every 10 iterations,
    // 4 × 1280 real targets per step, jitter 5e-3, real init). Classroom: two narrow networks and 32 targets per
    // class keep a 2-core CPU at several iterations a second; a larger step, since its run is short.
    ParamSpec lr = params::lrImage(params::byPreset<double>(1e-3, 1e-2));
    lr.help = "Learning rate of the synthetic pixels (Adam)";
    ParamSpec lrLabel = params::lrLabel(params::byPreset<double>(1e-3, 1e-2));
    lrLabel.help = "Learning rate of the label logits when labels are learned (Adam)";
    return {params::init(params::byPreset<std::string>("real", "real")), lr, params::labels(), lrLabel,
        params::realBatch(params::byPreset<std::int64_t>(512, 32)),
        params::ownInteger("randomModels", "random-models", "Random networks",
            "M: untrained networks whose features, side by side, make the kernel (more: a smoother kernel, slower steps)",
            "networks", 1, 64, params::byPreset<std::int64_t>(8, 2)),
        params::ownInteger("redrawEvery", "redraw-every", "New networks every",
            "Iterations between fresh draws of the random networks", "iterations", 1, 1000000,
            [](const ParamContext&) { return std::int64_t{10}; }),
        params::ownReal("ridge", "ridge", "Ridge",
            "ρ: added to the kernel's diagonal, times its mean diagonal, before the solve (keeps it well conditioned)",
            1e-9, 10, [](const ParamContext&) { return 5e-3; }),
        params::ownChoice("loss", "loss", "Loss",
            "mse: half the mean squared error of the regression's answers (RFAD's default); platt: the cross-entropy "
            "of those answers times a learned scale e^k (Platt scaling, RFAD's option)",
            {{"mse", "Squared error"}, {"platt", "Platt-scaled cross-entropy"}},
            [](const ParamContext&) { return std::string("mse"); })};
}

void RfadMethod::resolveRunDefaults(RunConfig& config, const DatasetInfo& data) const
{
    if (config.iterations == 0)
        config.iterations = config.preset == "paper" ? 10000 : 500;
    resolveMethodEvalProtocol(config.eval, "dsa", data);
}

void RfadMethod::init(const MethodContext& context)
{
    const RunConfig& config = context.config;
    m_data = &context.data;
    m_log = context.log;
    m_ipc = config.ipc;
    m_realBatch = config.params.integer32("realBatch");
    m_refresh = config.params.integer32("redrawEvery");
    m_ridge = config.params.real("ridge");
    m_lr = config.params.real("lrImage");
    m_seed = config.seed;
    checkIpcFits(m_data->info(), m_ipc);
    checkRealBatchFits(m_data->info(), m_realBatch);

    m_set = initialSyntheticSet(*m_data, m_ipc, config.params.text("init"));
    m_targets = KernelTargets(m_set.labels, m_data->numClasses(), config.params.text("labels") == "learned");
    m_lrLabel = config.params.real("lrLabel");
    m_optimizer = std::make_unique<OpenAdam>(std::vector<torch::Tensor>{m_set.images}, kBeta1, kBeta2);
    m_platt = config.params.text("loss") == "platt";
    if (m_platt) {
        m_logScale = torch::zeros({}, torch::TensorOptions().dtype(torch::kFloat).device(m_data->device())).requires_grad_(true);
        m_scaleOptimizer = std::make_unique<OpenAdam>(std::vector<torch::Tensor>{m_logScale}, kBeta1, kBeta2);
    }
    const NetworkShape shape = networkShape(*m_data);
    const int models = config.params.integer32("randomModels");
    for (int m = 0; m < models; ++m) {
        Network net = makeNetwork(config.model, shape);
        net->to(m_data->device());
        for (auto& p : net->parameters())
            p.set_requires_grad(false); // random feature maps, never trained
        net->train(); // instance norm needs no running statistics; batch norm normalises the batch it sees
        m_nets.push_back(net);
    }
    m_pieceRows = rowsPerPiece(config.model, shape, m_data->device(), pieceBudgetBytes(config.performance));
}

StepResult RfadMethod::step(int iteration)
{
    const int classes = m_data->numClasses();
    const torch::Tensor indices = m_data->sampleAllClasses(m_realBatch); // class-major: m_realBatch of each class
    // The networks of iteration i are drawn from a seed of their own block of iterations, after the batch: a run
    // continued mid-block draws the same networks, and the same batches, as one that never stopped.
    const int block = (iteration - 1) / m_refresh;
    if (block != m_networkBlock) {
        torch::manual_seed(deriveSeed(m_seed, kStreamNetworks, static_cast<std::uint64_t>(block)));
        for (auto& net : m_nets)
            reinitialise(*net);
        m_networkBlock = block;
    }
    torch::Tensor realFeatures;
    torch::Tensor targets;
    {
        torch::NoGradGuard noGrad; // the real batch is a constant target
        realFeatures = randomFeatures(m_nets, m_data->trainImages().index_select(0, indices), m_pieceRows);
        targets = centredOneHot(m_data->trainLabels().index_select(0, indices), classes);
    }
    const torch::Tensor supportFeatures = randomFeatures(m_nets, m_set.images, m_pieceRows);
    double usedRidge = m_ridge;
    const torch::Tensor predictions = kernelRidgePredict(featureKernel(realFeatures, supportFeatures),
        featureKernel(supportFeatures, supportFeatures), m_targets.targets(), m_ridge, &usedRidge);
    reportRaisedRidge(m_ridge, usedRidge, m_reportedRidge, m_log);
    torch::Tensor terms;
    if (m_platt) {
        // Cross-entropy of the scaled answers against each target's class; per class over its own targets.
        const torch::Tensor classesOfTargets = targets.argmax(1);
        const torch::Tensor perTarget = torch::nn::functional::cross_entropy(predictions * m_logScale.exp(), classesOfTargets,
            torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kNone));
        terms = perTarget.view({classes, m_realBatch}).mean(1);
    } else {
        // ½ · mean squared error over every entry, as the reference; per class over its own targets.
        terms = 0.5 * (predictions - targets).pow(2).view({classes, m_realBatch, classes}).mean({1, 2});
    }
    const torch::Tensor loss = terms.mean();
    m_optimizer->zeroGrad();
    m_targets.zeroGrad();
    if (m_scaleOptimizer)
        m_scaleOptimizer->zeroGrad();
    loss.backward();
    m_optimizer->step(m_lr);
    m_targets.step(m_lrLabel);
    if (m_scaleOptimizer)
        m_scaleOptimizer->step(kScaleLearningRate);
    return {loss.detach(), terms.detach()};
}

std::optional<KernelReadout> RfadMethod::kernelReadout() const
{
    return KernelReadout{static_cast<int>(m_nets.size()), m_ridge};
}

SyntheticTensors RfadMethod::synthetic() const
{
    SyntheticTensors t = m_set;
    t.softLabels = m_targets.probabilities();
    return t;
}

std::map<std::string, torch::Tensor> RfadMethod::resumeState() const
{
    std::map<std::string, torch::Tensor> state = m_optimizer->state();
    state.merge(m_targets.state());
    if (m_platt) {
        state[std::string(kScaleStatePrefix) + "k"] = m_logScale.detach().reshape({1});
        for (const auto& [name, tensor] : m_scaleOptimizer->state())
            state[kScaleStatePrefix + name] = tensor;
    }
    return state;
}

void RfadMethod::resume(const torch::Tensor& images, const std::map<std::string, torch::Tensor>& state)
{
    restoreImages(m_set.images, images);
    std::map<std::string, torch::Tensor> own;
    std::map<std::string, torch::Tensor> scale;
    const std::string prefix = kScaleStatePrefix;
    for (const auto& [name, tensor] : state)
        if (!KernelTargets::ownsStateEntry(name))
            (name.rfind(prefix, 0) == 0 ? scale[name.substr(prefix.size())] : own[name]) = tensor;
    m_optimizer->restore(own);
    m_targets.restore(state);
    if (m_platt) {
        if (const auto k = scale.find("k"); k != scale.end()) {
            torch::NoGradGuard noGrad;
            m_logScale.copy_(k->second.reshape({}).to(m_logScale.device(), m_logScale.scalar_type()));
        }
        m_scaleOptimizer->restore(scale);
    }
}

} // namespace distillery::core

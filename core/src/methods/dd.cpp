// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "methods/dd.h"

#include "methods/commonparams.h"
#include "methods/evaldefaults.h"
#include "methods/learnedlabels.h"
#include "methods/matchingtools.h"
#include "nn/training.h"
#include "trajectory/stepbatches.h"
#include "util/torchutil.h"

#include <distillery/error.h>

#include <cmath>

namespace distillery::core {
namespace {

    constexpr std::uint64_t kStreamFixedInit = 0xDD;

    /// The largest divisor of `ipc` that is at most 10: DD's 10 step batches where the IPC allows.
    std::int64_t defaultStepBatches(int ipc)
    {
        for (int k = std::min(ipc, 10); k > 1; --k)
            if (ipc % k == 0)
                return k;
        return 1;
    }

} // namespace

MethodInfo DdMethod::info() const
{
    return {"dd", "Dataset distillation (DD)",
        "The original method: learns images and one step size per training step so that a network trained on "
        "them for a few steps classifies real images well.",
        false,
        "<h3>Dataset distillation (DD)</h3>"
        "<p>The set is cut into a few <b>step batches</b>. A network starts from random weights and takes one "
        "gradient step on each batch in turn, a few rounds, each step with its own <b>learned step size</b>. "
        "Then it is tested on real images, and the pixels and step sizes are moved (backpropagating through all "
        "those steps) to make that test go better.</p>"
        "<p style='font-family:serif'>min<sub>x&#771;, &eta;</sub> &#8467;(f(x<sub>real</sub>; &theta;<sub>T</sub>)), "
        "&theta;<sub>t+1</sub> = &theta;<sub>t</sub> &minus; &eta;<sub>t</sub> &nabla;&#8467;(x&#771;<sub>t mod K</sub>; "
        "&theta;<sub>t</sub>)</p>"
        "<p>Watch: the images need not look like the classes at all; they are a training <i>program</i>. With one "
        "fixed starting network they work remarkably well, from a new random start much less.</p>"};
}

std::string DdMethod::lossName() const
{
    return "DD real-batch loss after the unroll";
}

std::vector<ParamSpec> DdMethod::parameters() const
{
    // Paper: DD-repo base_options (10 step batches × 3 epochs, η₀ 0.02, Adam 0.01 β (0.5, 0.999), halved every
    // 40 epochs of 59 real batches, random init); real batch 1024 → about 100 per class. Classroom: the same steps,
    // 16 real images per class and no decay over its 300 iterations.
    return {params::init(params::byPreset<std::string>("noise", "noise")),
        params::lrImage(params::byPreset<double>(0.01, 0.01)),
        params::ownInteger("stepBatches", "step-batches", "Step batches",
            "K_s: the set is cut into this many batches, one gradient step each (must divide the IPC)", "batches", 1,
            1000, [](const ParamContext& c) { return defaultStepBatches(c.ipc); }),
        params::ownInteger("stepEpochs", "step-epochs", "Rounds over the batches",
            "E_d: how many times the steps cycle through the batches (T = K_s × E_d learned step sizes)", "rounds", 1,
            100, [](const ParamContext&) { return std::int64_t{3}; }),
        params::ownReal("lrInit", "lr-init", "Initial step size", "η₀: every learned step size starts here", 1e-6, 10,
            [](const ParamContext&) { return 0.02; }),
        params::ownChoice("netInit", "net-init", "Starting network",
            "random: a fresh initialisation every iteration (the set must work from any); fixed: always the same one "
            "(DD's 'known init', far stronger but only for that network)",
            {{"random", "Random every time"}, {"fixed", "One fixed network"}},
            [](const ParamContext&) { return std::string("random"); }),
        params::realBatch(params::byPreset<std::int64_t>(100, 16)),
        params::ownInteger("lrDecayEvery", "lr-decay-every", "Halve the learning rate every",
            "Iterations between halvings of the learning rate of pixels and step sizes; 0 = never", "iterations", 0,
            1000000, [](const ParamContext& c) { return std::int64_t{c.preset == "paper" ? 2360 : 0}; }),
        params::labels(), params::lrLabel([](const ParamContext&) { return 0.01; })};
}

void DdMethod::resolveRunDefaults(RunConfig& config, const DatasetInfo& data) const
{
    if (config.iterations == 0)
        config.iterations = config.preset == "paper" ? 23600 : 300; // 400 epochs of 59 real batches
    resolveMethodEvalProtocol(config.eval, "dsa", data);
}

void DdMethod::init(const MethodContext& context)
{
    const RunConfig& config = context.config;
    const ParamValues& p = config.params;
    m_data = &context.data;
    m_ipc = config.ipc;
    checkIpcFits(m_data->info(), m_ipc);
    m_stepBatches = p.integer32("stepBatches");
    if (m_ipc % m_stepBatches != 0)
        throw Error("params.stepBatches: " + std::to_string(m_stepBatches) + " step batches do not divide "
            + std::to_string(m_ipc) + " images per class");
    m_epochs = p.integer32("stepEpochs");
    m_realBatch = p.integer32("realBatch");
    checkRealBatchFits(m_data->info(), m_realBatch);
    m_lr = p.real("lrImage");
    m_decayEvery = p.integer32("lrDecayEvery");
    m_learnLabels = p.text("labels") == "learned";
    m_fixedInit = p.text("netInit") == "fixed";
    if (const std::string why = FunctionalNet::unsupportedReason(config.model); !why.empty())
        throw Error(why);

    const NetworkShape shape = networkShape(*m_data);
    m_net = makeNetwork(config.model, shape);
    m_net->to(m_data->device());
    m_functional = std::make_unique<FunctionalNet>(*m_net, config.model);
    m_fixedInitSeed = deriveSeed(config.seed, kStreamFixedInit);
    if (m_fixedInit) {
        Network fixed = makeSeededNetwork(config.model, shape, m_fixedInitSeed, m_data->device());
        m_fixedTheta = m_functional->flatten(*fixed);
    }
    m_batches = stepBatchIndices(m_data->numClasses(), m_ipc, m_stepBatches, m_data->device());
    m_set = initialSyntheticSet(*m_data, m_ipc, p.text("init"));
    const auto steps = static_cast<std::int64_t>(m_stepBatches) * m_epochs;
    m_rawSteps = torch::full({steps}, inverseSoftplus(p.real("lrInit")),
        torch::TensorOptions().dtype(torch::kFloat).device(m_data->device()))
                     .requires_grad_(true);
    std::vector<torch::Tensor> learned{m_set.images, m_rawSteps};
    if (m_learnLabels) {
        m_labelLogits = initialLabelLogits(m_set.labels, m_data->numClasses()).requires_grad_(true);
        learned.push_back(m_labelLogits);
    }
    m_optimizer = std::make_unique<OpenAdam>(learned, 0.5, 0.999);
}

StepResult DdMethod::step(int iteration)
{
    // θ₀: a fresh draw (torch's generator, seeded per iteration by the session) or the one fixed initialisation.
    torch::Tensor theta;
    if (m_fixedInit) {
        theta = m_fixedTheta.clone();
    } else {
        reinitialise(*m_net);
        theta = m_functional->flatten(*m_net);
    }
    theta.requires_grad_(true);
    const torch::Tensor targets = m_learnLabels ? torch::softmax(m_labelLogits, 1) : m_set.labels;
    const torch::Tensor eta = torch::softplus(m_rawSteps);
    for (std::int64_t t = 0; t < m_rawSteps.size(0); ++t) {
        const torch::Tensor& index = m_batches[static_cast<std::size_t>(t % m_stepBatches)];
        const torch::Tensor loss
            = classificationLoss(m_functional->forward(theta, m_set.images.index_select(0, index)), targets.index_select(0, index));
        const torch::Tensor g = torch::autograd::grad({loss}, {theta}, {}, true, true)[0];
        theta = theta - eta[t] * g;
    }
    const torch::Tensor real = m_data->sampleAllClasses(m_realBatch);
    const torch::Tensor loss = classificationLoss(
        m_functional->forward(theta, m_data->trainImages().index_select(0, real)), m_data->trainLabels().index_select(0, real));
    m_optimizer->zeroGrad();
    loss.backward();
    const double lr = m_decayEvery > 0 ? m_lr * std::pow(0.5, (iteration - 1) / m_decayEvery) : m_lr;
    m_optimizer->step(lr);
    return {loss.detach(), {}, torch::softplus(m_rawSteps.detach())};
}

SyntheticTensors DdMethod::synthetic() const
{
    SyntheticTensors t = m_set;
    t.learnedLr = torch::softplus(m_rawSteps.detach());
    if (m_learnLabels)
        t.softLabels = torch::softmax(m_labelLogits.detach(), 1);
    return t;
}

std::map<std::string, torch::Tensor> DdMethod::resumeState() const
{
    std::map<std::string, torch::Tensor> state = m_optimizer->state();
    state["raw_steps"] = m_rawSteps.detach();
    if (m_learnLabels)
        state["label_logits"] = m_labelLogits.detach();
    return state;
}

void DdMethod::resume(const torch::Tensor& images, const std::map<std::string, torch::Tensor>& state)
{
    restoreImages(m_set.images, images);
    torch::NoGradGuard noGrad;
    if (auto r = state.find("raw_steps"); r != state.end()) {
        if (!r->second.sizes().equals(m_rawSteps.sizes()))
            throw Error("checkpoint: " + std::to_string(r->second.numel()) + " learned step sizes, the run has "
                + std::to_string(m_rawSteps.numel()));
        m_rawSteps.copy_(r->second.to(m_rawSteps.device(), torch::kFloat));
    }
    if (m_learnLabels)
        if (auto z = state.find("label_logits"); z != state.end())
            restoreLabelLogits(m_labelLogits, z->second);
    m_optimizer->restore(state);
}

std::optional<LearnedSchedule> DdMethod::learnedSchedule() const
{
    return LearnedSchedule{m_stepBatches, m_fixedInit, m_fixedInitSeed};
}

} // namespace distillery::core

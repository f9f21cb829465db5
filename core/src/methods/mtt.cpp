// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "methods/mtt.h"

#include "methods/commonparams.h"
#include "methods/evaldefaults.h"
#include "methods/learnedlabels.h"
#include "nn/training.h"
#include "trajectory/memoryestimate.h"
#include "util/torchutil.h"

#include <distillery/error.h>

#include <random>

namespace distillery::core {
namespace {

    constexpr std::uint64_t kStreamDsa = 0x3D;
    constexpr std::uint64_t kStreamExpert = 0x3E;
    /// Experts kept in memory; more are read again from disk when drawn.
    constexpr std::int64_t kExpertMemoryBudget = 1'000'000'000;
    /// α stays positive: an update that would cross zero leaves it here instead (a negative step size would
    /// train the student backwards).
    constexpr double kMinAlpha = 1e-8;

    /// The value of the author's CIFAR-10 table row nearest to `ipc` (1, 10, 50; ties to the smaller).
    template<typename T>
    std::function<T(const ParamContext&)> byIpc(T ipc1, T ipc10, T ipc50)
    {
        return [=](const ParamContext& c) { return c.ipc <= 5 ? ipc1 : c.ipc <= 30 ? ipc10 : ipc50; };
    }

} // namespace

MethodInfo MttMethod::info() const
{
    return {"mtt", "Matching training trajectories (MTT)",
        "Trains a student network on the synthetic set for a few steps from an expert's checkpoint and moves the "
        "pixels so the student lands where the expert, trained on all real images, was a few epochs later.",
        false,
        "<h3>Matching training trajectories (MTT)</h3>"
        "<p>First, <b>experts</b> are trained on the real images and their weights are saved after every epoch "
        "(this is the long preparation; it is kept on disk and reused).</p>"
        "<p>Each iteration takes an expert at a random epoch <i>t</i>, copies its weights into a <b>student</b>, "
        "and trains the student for <i>N</i> small steps on the synthetic images only. The synthetic pixels (and "
        "the student's step size &alpha;) are then moved so that the student ends up close to where the expert "
        "was <i>M</i> epochs later, after seeing all the real data.</p>"
        "<p style='font-family:serif'>L = &#8214;&theta;&#770;<sub>N</sub> &minus; &theta;*<sub>t+M</sub>&#8214;&sup2; "
        "/ &#8214;&theta;*<sub>t</sub> &minus; &theta;*<sub>t+M</sub>&#8214;&sup2;</p>"
        "<p>Watch: a loss below 1 means a few steps on the synthetic set do more than the same steps would "
        "have done standing still; the learned &alpha; is the learning rate the set is meant to be trained "
        "with.</p>"};
}

std::string MttMethod::lossName() const
{
    return "MTT normalised parameter distance";
}

std::vector<ParamSpec> MttMethod::parameters() const
{
    // Paper: the author's CIFAR-10 settings per IPC (docs/methods.md §7.2), without ZCA, so lrImage is the
    // no-ZCA value (the IPC 50 row and distill.py's default, 1000); no Fashion-MNIST preset was published.
    // Classroom: a narrow ConvNet, two experts of one epoch (the student learns the first epoch: from the
    // initialisation to epoch 1), and 10 student steps (20 from IPC 6 on: at IPC 10, 10 steps left the set no
    // better than random real images) on 20 images each, so a 2-core laptop builds the experts in under two
    // minutes and steps several times a second (BENCHMARKS.md, "MTT").
    return {params::init(params::byPreset<std::string>("real", "real")),
        params::lrImage(params::byPreset<double>(1000, 1000)),
        params::ownReal("lrLr", "lr-lr", "Step-size learning rate",
            "Learning rate of the learned student step size α (SGD, momentum 0.5)", 0, 1,
            [](const ParamContext& c) { return c.preset == "paper" ? byIpc<double>(1e-7, 1e-5, 1e-5)(c) : 1e-5; }),
        params::ownReal("lrTeacher", "lr-teacher", "Expert learning rate",
            "Learning rate of the experts (plain SGD), and the student step size α starts there", 1e-6, 1,
            [](const ParamContext& c) { return c.preset == "paper" ? byIpc<double>(0.01, 0.001, 0.001)(c) : 0.01; }),
        params::ownInteger("synSteps", "syn-steps", "Student steps",
            "Steps the student takes on the synthetic set per iteration (N); memory grows with it in the full unroll",
            "steps", 1, 1000,
            [](const ParamContext& c) {
                return c.preset == "paper" ? byIpc<std::int64_t>(50, 30, 30)(c) : c.ipc <= 5 ? 10 : 20;
            }),
        params::ownInteger("expertEpochs", "expert-epochs", "Expert epochs to match",
            "How many expert epochs past the start the student must reach (M)", "epochs", 1, 100,
            [](const ParamContext& c) { return std::int64_t{c.preset == "paper" ? 2 : 1}; }),
        params::ownInteger("maxStartEpoch", "max-start-epoch", "Latest start epoch",
            "The student starts at an expert epoch drawn from 0 … this − 1", "epochs", 1, 1000,
            [](const ParamContext& c) { return c.preset == "paper" ? byIpc<std::int64_t>(2, 20, 40)(c) : 1; }),
        params::ownInteger("experts", "experts", "Experts", "Expert trajectories trained (and cached) to draw from",
            "experts", 1, 10000, [](const ParamContext& c) { return std::int64_t{c.preset == "paper" ? 100 : 2}; }),
        params::ownInteger("batchSyn", "batch-syn", "Synthetic batch",
            "Synthetic images per student step; 0 = the whole set", "images", 0, 1000000,
            [](const ParamContext& c) { return std::int64_t{c.preset == "paper" ? 0 : 20}; }),
        params::augment(true),
        params::ownChoice("memory", "memory", "Gradient",
            "full: backpropagate through the whole unroll (exact, memory grows with steps × batch); constant: TESLA's "
            "one-step-at-a-time gradient (memory of one step, approximate)",
            {{"full", "Full unroll"}, {"constant", "Constant memory (TESLA)"}},
            [](const ParamContext&) { return std::string("full"); }),
        params::ownChoice("expertPrecision", "expert-precision", "Expert storage",
            "Precision of the stored expert trajectories: fp32, or fp16 (half the disk)",
            {{"fp32", "32-bit"}, {"fp16", "16-bit"}}, [](const ParamContext&) { return std::string("fp32"); }),
        params::labels(), params::lrLabel([](const ParamContext&) { return 2.0; })};
}

void MttMethod::resolveRunDefaults(RunConfig& config, const DatasetInfo& data) const
{
    if (config.iterations == 0)
        config.iterations = config.preset == "paper" ? 5000 : 200;
    resolveMethodEvalProtocol(config.eval, "dsa", data); // MTT evaluates like DSA, with the learned step size as lr
}

void MttMethod::init(const MethodContext& context)
{
    const RunConfig& config = context.config;
    m_data = &context.data;
    m_ipc = config.ipc;
    m_seed = config.seed;
    checkIpcFits(m_data->info(), m_ipc);
    const ParamValues& p = config.params;
    m_synSteps = p.integer32("synSteps");
    m_expertEpochs = p.integer32("expertEpochs");
    m_maxStartEpoch = p.integer32("maxStartEpoch");
    m_experts = p.integer32("experts");
    m_batchSyn = p.integer32("batchSyn");
    const int total = m_ipc * m_data->numClasses();
    if (m_batchSyn == 0 || m_batchSyn > total)
        m_batchSyn = total;
    m_constantMemory = p.text("memory") == "constant";
    m_learnLabels = p.text("labels") == "learned";
    const std::string& augment = p.text("augment");
    if (augment != "none")
        m_dsa.emplace(augment, deriveSeed(m_seed, kStreamDsa));

    if (const std::string why = FunctionalNet::unsupportedReason(config.model); !why.empty())
        throw Error(why);
    const NetworkShape shape = networkShape(*m_data);
    if (!m_constantMemory)
        checkUnrollFits(config.model, shape, m_synSteps, m_batchSyn, m_data->device(), "params.synSteps × params.batchSyn");
    m_net = makeNetwork(config.model, shape);
    m_functional = std::make_unique<FunctionalNet>(*m_net, config.model);

    // The set first: training experts draws from torch's generator, and a run must start from the same images
    // whether its experts were cached or not.
    m_set = initialSyntheticSet(*m_data, m_ipc, p.text("init"));
    m_imageOptimizer = std::make_unique<ImageSgd>(m_set.images, p.real("lrImage"), 0.5);
    m_alpha = torch::full({}, p.real("lrTeacher"), torch::TensorOptions().dtype(torch::kFloat).device(m_data->device()))
                  .requires_grad_(true);
    m_alphaOptimizer = std::make_unique<ImageSgd>(m_alpha, p.real("lrLr"), 0.5);
    if (m_learnLabels) {
        m_labelLogits = initialLabelLogits(m_set.labels, m_data->numClasses()).requires_grad_(true);
        m_labelOptimizer = std::make_unique<ImageSgd>(m_labelLogits, p.real("lrLabel"), 0.9);
    }

    // The experts: trained once per key, then read from the cache (docs/methods.md §7.1).
    ExpertKey key;
    const DatasetInfo& info = m_data->info();
    key.dataName = info.name;
    key.fingerprint = info.fingerprint;
    key.channels = info.channels;
    key.height = info.height;
    key.width = info.width;
    key.classes = m_data->numClasses();
    key.model = config.model;
    key.augment = augment;
    key.epochs = m_maxStartEpoch + m_expertEpochs; // nothing later is ever read
    key.lr = p.real("lrTeacher");
    key.precision = p.text("expertPrecision");
    m_store = std::make_unique<ExpertStore>(expertsDirOr(config.expertsDir), key);
    ensureExperts(*m_data, *m_store, m_experts, m_functional->size(), context.log, context.progress, context.control);
    m_cache = std::make_unique<ExpertCache>(*m_store, m_functional->size(), kExpertMemoryBudget);
}

MttMethod::Draws MttMethod::draw(int iteration)
{
    Draws d;
    std::mt19937_64 rng(deriveSeed(m_seed, kStreamExpert, static_cast<std::uint64_t>(iteration)));
    d.expert = std::uniform_int_distribution<int>(0, m_experts - 1)(rng);
    d.startEpoch = std::uniform_int_distribution<int>(0, m_maxStartEpoch - 1)(rng);
    if (m_dsa)
        m_dsa->reseed(deriveSeed(m_seed, kStreamDsa, static_cast<std::uint64_t>(iteration)));
    // As the reference: batches are chunks of a fresh permutation of the set, a new one when it runs out.
    const std::int64_t n = m_set.images.size(0);
    const auto options = torch::TensorOptions().dtype(torch::kInt64).device(m_data->device());
    std::vector<torch::Tensor> chunks;
    for (int s = 0; s < m_synSteps; ++s) {
        if (chunks.empty()) {
            const torch::Tensor order = torch::randperm(n, options);
            for (std::int64_t start = 0; start < n; start += m_batchSyn)
                chunks.push_back(order.slice(0, start, std::min(n, start + m_batchSyn)));
            std::reverse(chunks.begin(), chunks.end()); // taken from the back, in order
        }
        d.batches.push_back(chunks.back());
        chunks.pop_back();
        std::optional<DsaDraw> augmentation;
        if (m_dsa)
            augmentation = m_dsa->draw(d.batches.back().size(0), m_data->height(), m_data->width(), m_data->device());
        d.augmentations.push_back(std::move(augmentation));
    }
    return d;
}

torch::Tensor MttMethod::labelTargets() const
{
    return m_learnLabels ? torch::softmax(m_labelLogits, 1) : m_set.labels;
}

torch::Tensor MttMethod::studentLoss(const torch::Tensor& theta, const Draws& d, std::size_t step, bool constantSet) const
{
    const torch::Tensor& index = d.batches[step];
    torch::Tensor x = (constantSet ? m_set.images.detach() : m_set.images).index_select(0, index);
    if (d.augmentations[step])
        x = Dsa::apply(x, *d.augmentations[step]);
    const torch::Tensor targets = labelTargets();
    return classificationLoss(m_functional->forward(theta, x), (constantSet ? targets.detach() : targets).index_select(0, index));
}

torch::Tensor MttMethod::fullUnroll(const Draws& d, const torch::Tensor& start, const torch::Tensor& target, torch::Tensor& loss)
{
    const torch::Tensor denominator = (start - target).pow(2).sum();
    torch::Tensor theta = start.detach().requires_grad_(true);
    std::vector<torch::Tensor> distances{torch::ones({}, start.options())};
    for (std::size_t s = 0; s < d.batches.size(); ++s) {
        const torch::Tensor l = studentLoss(theta, d, s);
        const torch::Tensor g = torch::autograd::grad({l}, {theta}, {}, true, true)[0];
        theta = theta - m_alpha * g;
        distances.push_back(((theta.detach() - target).pow(2).sum() / denominator));
    }
    loss = (theta - target).pow(2).sum() / denominator;
    return torch::stack(distances);
}

torch::Tensor MttMethod::constantMemory(const Draws& d, const torch::Tensor& start, const torch::Tensor& target, torch::Tensor& loss)
{
    // Forward: the student's path without any graph beyond one step, keeping θ_n and Σ g_n.
    const torch::Tensor denominator = (start - target).pow(2).sum();
    const torch::Tensor alpha = m_alpha.detach();
    std::vector<torch::Tensor> thetas{start.detach()};
    std::vector<torch::Tensor> distances{torch::ones({}, start.options())};
    torch::Tensor gradientSum = torch::zeros_like(start);
    for (std::size_t s = 0; s < d.batches.size(); ++s) {
        const torch::Tensor theta = thetas.back().clone().requires_grad_(true);
        torch::Tensor g;
        {
            // The step's gradient with respect to θ only: the set enters as a constant here.
            const torch::Tensor l = studentLoss(theta, d, s, true);
            g = torch::autograd::grad({l}, {theta})[0].detach();
        }
        gradientSum += g;
        thetas.push_back((thetas.back() - alpha * g).detach());
        distances.push_back((thetas.back() - target).pow(2).sum() / denominator);
    }
    const torch::Tensor curve = torch::stack(distances);
    const torch::Tensor finalTheta = thetas.back();
    loss = (finalTheta - target).pow(2).sum() / denominator;
    // dL/dθ_N, then each step's share: θ_N = θ_0 − α Σ g_n(θ_n, X_n) with every θ_n held fixed (TESLA).
    const torch::Tensor outer = 2 * (finalTheta - target) / denominator;
    const torch::Tensor alphaGrad = -(outer * gradientSum).sum();
    std::vector<torch::Tensor> leaves{m_set.images};
    if (m_learnLabels)
        leaves.push_back(m_labelLogits);
    std::vector<torch::Tensor> sums(leaves.size());
    for (std::size_t s = 0; s < d.batches.size(); ++s) {
        const torch::Tensor theta = thetas[s].clone().requires_grad_(true);
        const torch::Tensor l = studentLoss(theta, d, s);
        const torch::Tensor g = torch::autograd::grad({l}, {theta}, {}, true, true)[0];
        const torch::Tensor share = -(alpha * (outer * g).sum());
        const auto grads = torch::autograd::grad({share}, leaves, {}, false, false, true);
        for (std::size_t i = 0; i < leaves.size(); ++i)
            if (grads[i].defined())
                sums[i] = sums[i].defined() ? sums[i] + grads[i] : grads[i];
    }
    m_set.images.mutable_grad() = sums[0].defined() ? sums[0] : torch::zeros_like(m_set.images);
    m_alpha.mutable_grad() = alphaGrad;
    if (m_learnLabels)
        m_labelLogits.mutable_grad() = sums[1].defined() ? sums[1] : torch::zeros_like(m_labelLogits);
    return curve;
}

MttMethod::Gradients MttMethod::gradients(int iteration, bool constant)
{
    const Draws d = draw(iteration);
    const torch::Tensor start = m_cache->snapshot(d.expert, d.startEpoch).to(m_data->device());
    const torch::Tensor target = m_cache->snapshot(d.expert, d.startEpoch + m_expertEpochs).to(m_data->device());
    m_set.images.mutable_grad() = torch::Tensor();
    m_alpha.mutable_grad() = torch::Tensor();
    if (m_learnLabels)
        m_labelLogits.mutable_grad() = torch::Tensor();
    torch::Tensor loss;
    torch::Tensor distances;
    if (constant) {
        distances = constantMemory(d, start, target, loss);
    } else {
        distances = fullUnroll(d, start, target, loss);
        loss.backward();
    }
    Gradients g;
    g.loss = loss.detach();
    g.distances = distances;
    g.images = m_set.images.grad();
    g.alpha = m_alpha.grad();
    if (m_learnLabels)
        g.labelLogits = m_labelLogits.grad();
    return g;
}

StepResult MttMethod::step(int iteration)
{
    const Gradients g = gradients(iteration, m_constantMemory);
    m_imageOptimizer->step();
    m_alphaOptimizer->step();
    if (m_labelOptimizer)
        m_labelOptimizer->step();
    {
        torch::NoGradGuard noGrad;
        m_alpha.clamp_min_(kMinAlpha);
    }
    return {g.loss, {}, m_alpha.detach().reshape({1}).clone(), g.distances};
}

SyntheticTensors MttMethod::synthetic() const
{
    SyntheticTensors t = m_set;
    t.learnedLr = m_alpha.detach();
    if (m_learnLabels)
        t.softLabels = torch::softmax(m_labelLogits.detach(), 1);
    return t;
}

std::map<std::string, torch::Tensor> MttMethod::resumeState() const
{
    std::map<std::string, torch::Tensor> state = imageMomentumState(*m_imageOptimizer);
    state["alpha"] = m_alpha.detach().reshape({1});
    if (m_alphaOptimizer->momentumBuffer().defined())
        state["alpha_momentum"] = m_alphaOptimizer->momentumBuffer().reshape({1});
    if (m_learnLabels) {
        state["label_logits"] = m_labelLogits.detach();
        if (m_labelOptimizer->momentumBuffer().defined())
            state["label_momentum"] = m_labelOptimizer->momentumBuffer();
    }
    return state;
}

void MttMethod::resume(const torch::Tensor& images, const std::map<std::string, torch::Tensor>& state)
{
    restoreImages(m_set.images, images);
    restoreImageMomentum(*m_imageOptimizer, state);
    torch::NoGradGuard noGrad;
    if (auto a = state.find("alpha"); a != state.end())
        m_alpha.copy_(a->second.reshape({}).to(m_alpha.device(), torch::kFloat));
    if (auto m = state.find("alpha_momentum"); m != state.end())
        m_alphaOptimizer->setMomentumBuffer(m->second.reshape({}));
    if (m_learnLabels) {
        if (auto z = state.find("label_logits"); z != state.end())
            restoreLabelLogits(m_labelLogits, z->second);
        if (auto m = state.find("label_momentum"); m != state.end())
            m_labelOptimizer->setMomentumBuffer(m->second);
    }
}

} // namespace distillery::core

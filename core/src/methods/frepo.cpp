// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "methods/frepo.h"

#include "methods/commonparams.h"
#include "methods/evaldefaults.h"
#include "methods/kernelridge.h"
#include "methods/matchingtools.h"
#include "nn/pieces.h"

#include <distillery/error.h>

#include <algorithm>
#include <cmath>

namespace distillery::core {
namespace {

    // Adam's moments as optax's defaults (the reference uses LAMB for the set and Adam for the pool).
    constexpr double kBeta1 = 0.9;
    constexpr double kBeta2 = 0.999;
    constexpr double kFinalRateFraction = 0.1; // the reference's cosine decay ends at 0.1× the rate
    constexpr const char* kPoolPrefix = "pool";

    /// The rows of a state map whose names start with `prefix`, without it.
    std::map<std::string, torch::Tensor> withPrefix(const std::map<std::string, torch::Tensor>& state, const std::string& prefix)
    {
        std::map<std::string, torch::Tensor> out;
        for (const auto& [name, tensor] : state)
            if (name.rfind(prefix, 0) == 0)
                out[name.substr(prefix.size())] = tensor;
        return out;
    }

    std::string poolPrefix(std::size_t member)
    {
        return kPoolPrefix + std::to_string(member) + "_";
    }

    void copyInto(const torch::Tensor& into, const torch::Tensor& saved, const std::string& name)
    {
        if (!saved.sizes().equals(into.sizes()))
            throw Error("checkpoint: " + name + " does not match the run's model pool (another model?)");
        torch::NoGradGuard noGrad;
        into.copy_(saved.to(into.device(), into.scalar_type()));
    }

} // namespace

MethodInfo FrepoMethod::info() const
{
    return {"frepo", "Neural feature regression (FRePo)",
        "Makes the synthetic images and their labels the training set of a network's last layer, solved in closed "
        "form on features of networks that keep training on the set.",
        false,
        "<h3>Neural feature regression with a model pool (FRePo)</h3>"
        "<p>Keep a small <b>pool of networks</b>, each trained a few steps at a time on the synthetic set and "
        "restarted after a while, so the pool holds networks at every stage of training. Each step, take one of them "
        "and describe every image by its features. Treat the synthetic images as the only training set of the "
        "network's <b>last layer</b>: that layer is solved in closed form (a kernel ridge regression), no training "
        "loop needed. Ask it to classify a batch of real images, and move the synthetic pixels, and their labels, "
        "so that its answers get right.</p>"
        "<p style='font-family:serif'>L = &frac12; mean &#8214; Y<sub>real</sub> &minus; K<sub>real,syn</sub> "
        "(K<sub>syn,syn</sub> + &lambda;I)<sup>&minus;1</sup> Y<sub>syn</sub> &#8214;&sup2;, "
        "K = &psi;(x) &psi;(x&prime;)<sup>T</sup></p>"
        "<p>Watch: the images drift from the real ones they started as, and the learned labels spread a little "
        "weight to the classes an image resembles. The per-class curves show which classes the regression still "
        "gets wrong.</p>"};
}

std::string FrepoMethod::lossName() const
{
    return "feature regression error";
}

std::vector<ParamSpec> FrepoMethod::parameters() const
{
    // Paper: yongchao97/FRePo script/distill.py (pool of 10 networks restarted after 100 online steps, 1024 real
    // targets per step, λ 1e-6, LAMB 3e-4 for the set, Adam 3e-4 for the pool, learned labels, real init).
    // LibTorch has no LAMB: the set follows Adam (docs/methods.md §9.1). Classroom: a smaller pool restarted sooner,
    // 32 targets per class and larger steps, for a run of a few hundred iterations on a 2-core CPU.
    ParamSpec lr = params::lrImage(params::byPreset<double>(1e-3, 1e-2));
    lr.help = "Learning rate of the synthetic pixels (Adam, decaying to 0.1× over the run; the paper used LAMB)";
    ParamSpec labels = params::labels();
    labels.defaultValue = [](const ParamContext&) { return ParamValue(std::string("learned")); }; // as the paper
    ParamSpec lrLabel = params::lrLabel(params::byPreset<double>(1e-3, 1e-2));
    lrLabel.help = "Learning rate of the label logits when labels are learned (Adam, with the pixels' decay)";
    return {params::init(params::byPreset<std::string>("real", "real")), lr, labels, lrLabel,
        params::realBatch(params::byPreset<std::int64_t>(100, 32)),
        params::ownInteger("poolSize", "pool-size", "Networks in the pool",
            "P: networks trained online on the set, one of them giving the features each step (more: the set sees "
            "networks at more stages of training)",
            "networks", 1, 64, params::byPreset<std::int64_t>(10, 4)),
        params::ownInteger("poolSteps", "pool-steps", "Restart a network after",
            "U: online training steps after which a pool network starts again from fresh weights", "steps", 1, 1000000,
            params::byPreset<std::int64_t>(100, 40)),
        params::ownReal("lrModel", "lr-model", "Pool learning rate",
            "Learning rate of the pool networks' online training (Adam, squared error to the set's labels)", 1e-7, 10,
            params::byPreset<double>(3e-4, 1e-3)),
        params::ownInteger("onlineBatch", "online-batch", "Images per online step",
            "Synthetic images (at most) in each online training step of a pool network", "images", 1, 1000000,
            [](const ParamContext&) { return std::int64_t{500}; }),
        params::ownReal("ridge", "ridge", "Ridge",
            "λ: added to the kernel's diagonal, times its mean diagonal, before the solve (keeps it well conditioned)",
            0, 10, [](const ParamContext&) { return 1e-6; })};
}

void FrepoMethod::resolveRunDefaults(RunConfig& config, const DatasetInfo& data) const
{
    if (config.iterations == 0)
        config.iterations = config.preset == "paper" ? 20000 : 500;
    resolveMethodEvalProtocol(config.eval, "dsa", data);
}

void FrepoMethod::init(const MethodContext& context)
{
    const RunConfig& config = context.config;
    const auto& p = config.params;
    m_data = &context.data;
    m_log = context.log;
    m_realBatch = p.integer32("realBatch");
    m_iterations = config.iterations;
    m_onlineBatch = p.integer32("onlineBatch");
    m_maxUpdates = p.integer("poolSteps");
    m_ridge = p.real("ridge");
    m_lrImage = p.real("lrImage");
    m_lrLabel = p.real("lrLabel");
    m_lrModel = p.real("lrModel");
    checkIpcFits(m_data->info(), config.ipc);
    checkRealBatchFits(m_data->info(), m_realBatch);

    m_set = initialSyntheticSet(*m_data, config.ipc, p.text("init"));
    m_imageOptimizer = std::make_unique<OpenAdam>(std::vector<torch::Tensor>{m_set.images}, kBeta1, kBeta2);
    m_targets = KernelTargets(m_set.labels, m_data->numClasses(), p.text("labels") == "learned");
    // Member i starts i·⌊U/P⌋ steps into its life, as the reference's, so the pool's restarts are staggered.
    const NetworkShape shape = networkShape(*m_data);
    const int poolSize = p.integer32("poolSize");
    for (int i = 0; i < poolSize; ++i) {
        PoolMember member;
        member.net = makeNetwork(config.model, shape);
        member.net->to(m_data->device());
        member.optimizer = std::make_unique<OpenAdam>(member.net->parameters(), kBeta1, kBeta2);
        member.updates = i * (m_maxUpdates / poolSize);
        m_pool.push_back(std::move(member));
    }
    m_pieceRows = rowsPerPiece(config.model, shape, m_data->device(), pieceBudgetBytes(config.performance));
}

double FrepoMethod::learningRateAt(int iteration) const
{
    const double progress = m_iterations > 1 ? static_cast<double>(iteration - 1) / (m_iterations - 1) : 0.0;
    const double cosine = 0.5 * (1.0 + std::cos(std::acos(-1.0) * std::clamp(progress, 0.0, 1.0)));
    return kFinalRateFraction + (1.0 - kFinalRateFraction) * cosine;
}

StepResult FrepoMethod::step(int iteration)
{
    const int classes = m_data->numClasses();
    const torch::Tensor indices = m_data->sampleAllClasses(m_realBatch); // class-major: m_realBatch of each class
    PoolMember& member = m_pool[static_cast<std::size_t>(torch::randint(static_cast<std::int64_t>(m_pool.size()), {1}).item<std::int64_t>())];
    Network& net = member.net;
    net->eval(); // features as the reference reads them (train=False); the same for instance norm
    for (auto& parameter : net->parameters())
        parameter.set_requires_grad(false); // the pool learns in its own step, not from this loss

    torch::Tensor realFeatures;
    torch::Tensor targets;
    {
        torch::NoGradGuard noGrad; // the real batch is a constant target
        realFeatures = mapInPieces(m_data->trainImages().index_select(0, indices), m_pieceRows,
            [&net](const torch::Tensor& piece) { return net->embed(piece); });
        targets = centredOneHot(m_data->trainLabels().index_select(0, indices), classes);
    }
    const torch::Tensor supportFeatures = net->embed(m_set.images);
    const torch::Tensor ySupport = m_targets.targets();
    double usedRidge = m_ridge;
    const torch::Tensor predictions = kernelRidgePredict(linearKernel(realFeatures, supportFeatures),
        linearKernel(supportFeatures, supportFeatures), ySupport, m_ridge, &usedRidge);
    reportRaisedRidge(m_ridge, usedRidge, m_reportedRidge, m_log);
    // ½‖Ŷ − Y‖² summed over classes, averaged over each class's own targets.
    torch::Tensor terms = 0.5 * (predictions - targets).pow(2).sum(1).view({classes, m_realBatch}).mean(1);
    if (m_targets.learned()) {
        // Label margin: a prototype whose top two label entries come closer than 1/K is pushed apart (FRePo's lb_margin_th).
        const torch::Tensor top = std::get<0>(ySupport.topk(2, 1));
        const torch::Tensor margin = -(top.select(1, 0) - top.select(1, 1)).clamp_max(1.0 / classes);
        terms = terms + margin.view({classes, -1}).mean(1);
    }
    const torch::Tensor loss = terms.mean();
    m_imageOptimizer->zeroGrad();
    m_targets.zeroGrad();
    loss.backward();
    const double rate = learningRateAt(iteration);
    m_imageOptimizer->step(m_lrImage * rate);
    m_targets.step(m_lrLabel * rate);

    if (member.updates > m_maxUpdates)
        restartPoolMember(member);
    else
        trainPoolMember(member);
    return {loss.detach(), terms.detach()};
}

void FrepoMethod::trainPoolMember(PoolMember& member)
{
    // One Adam step on the squared error of the network's outputs to (at most onlineBatch of) the set's labels.
    const std::int64_t count = m_set.images.size(0);
    torch::Tensor images = m_set.images.detach();
    torch::Tensor labels = m_targets.targets().detach();
    if (count > m_onlineBatch) {
        const torch::Tensor chosen = torch::randperm(count, torch::TensorOptions().dtype(torch::kLong).device(images.device()))
                                         .slice(0, 0, m_onlineBatch);
        images = images.index_select(0, chosen);
        labels = labels.index_select(0, chosen);
    }
    Network& net = member.net;
    for (auto& parameter : net->parameters())
        parameter.set_requires_grad(true);
    net->train();
    const torch::Tensor loss = 0.5 * (net->forward(images) - labels).pow(2).sum(1).mean();
    member.optimizer->zeroGrad();
    loss.backward();
    member.optimizer->step(m_lrModel);
    ++member.updates;
}

void FrepoMethod::restartPoolMember(PoolMember& member)
{
    reinitialise(*member.net);
    member.optimizer = std::make_unique<OpenAdam>(member.net->parameters(), kBeta1, kBeta2);
    member.updates = 0;
}

std::optional<KernelReadout> FrepoMethod::kernelReadout() const
{
    KernelReadout readout;
    readout.ridge = m_ridge;
    for (const auto& member : m_pool)
        readout.featureNetworks.push_back(member.net);
    return readout;
}

SyntheticTensors FrepoMethod::synthetic() const
{
    SyntheticTensors t = m_set;
    t.softLabels = m_targets.probabilities();
    return t;
}

std::map<std::string, torch::Tensor> FrepoMethod::resumeState() const
{
    // Besides the set's optimizer: every pool network's weights, buffers, Adam moments and age, so a resumed run
    // continues with the pool it stopped with.
    std::map<std::string, torch::Tensor> state = m_imageOptimizer->state();
    state.merge(m_targets.state());
    for (std::size_t i = 0; i < m_pool.size(); ++i) {
        const PoolMember& member = m_pool[i];
        const std::string prefix = poolPrefix(i);
        state[prefix + "updates"] = torch::tensor({member.updates}, torch::kLong);
        for (const auto& item : member.net->named_parameters())
            state[prefix + "p_" + item.key()] = item.value().detach();
        for (const auto& item : member.net->named_buffers())
            state[prefix + "b_" + item.key()] = item.value().detach();
        for (const auto& [name, tensor] : member.optimizer->state())
            state[prefix + name] = tensor;
    }
    return state;
}

void FrepoMethod::resume(const torch::Tensor& images, const std::map<std::string, torch::Tensor>& state)
{
    restoreImages(m_set.images, images);
    std::map<std::string, torch::Tensor> own;
    for (const auto& [name, tensor] : state)
        if (!KernelTargets::ownsStateEntry(name) && name.rfind(kPoolPrefix, 0) != 0)
            own[name] = tensor;
    m_imageOptimizer->restore(own);
    m_targets.restore(state);
    for (std::size_t i = 0; i < m_pool.size(); ++i) {
        PoolMember& member = m_pool[i];
        const auto saved = withPrefix(state, poolPrefix(i));
        if (saved.empty())
            continue; // a checkpoint without the pool (none is written so): the pool starts afresh
        const auto age = saved.find("updates");
        if (age == saved.end())
            throw Error("checkpoint: pool network " + std::to_string(i) + " has no age (updates)");
        member.updates = age->second.reshape({-1})[0].item<std::int64_t>();
        for (const auto& item : member.net->named_parameters()) {
            const auto found = saved.find("p_" + item.key());
            if (found == saved.end())
                throw Error("checkpoint: pool network " + std::to_string(i) + " lacks " + item.key());
            copyInto(item.value(), found->second, "pool network " + std::to_string(i) + "'s " + item.key());
        }
        for (const auto& item : member.net->named_buffers())
            if (const auto found = saved.find("b_" + item.key()); found != saved.end())
                copyInto(item.value(), found->second, "pool network " + std::to_string(i) + "'s " + item.key());
        std::map<std::string, torch::Tensor> moments;
        for (const auto& [name, tensor] : saved)
            if (name.rfind("adam_", 0) == 0)
                moments[name] = tensor;
        member.optimizer->restore(moments);
    }
}

} // namespace distillery::core

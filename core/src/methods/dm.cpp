// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "methods/dm.h"

#include "methods/commonparams.h"
#include "methods/evaldefaults.h"
#include "methods/matchingtools.h"
#include "nn/pieces.h"
#include "util/autocast.h"
#include "util/torchutil.h"

#include <distillery/error.h>

#include <limits>

namespace distillery::core {
namespace {

    constexpr std::uint64_t kStreamDsa = 0xD1;

} // namespace

MethodInfo DmMethod::info() const
{
    return {"dm", "Distribution matching (DM)",
        "Matches each class's mean feature vector, under random untrained networks, between real and synthetic "
        "images.",
        false,
        "<h3>Distribution matching (DM)</h3>"
        "<p>Take a network with <b>random, untrained</b> weights. Feed it a batch of real images of one class and the "
        "synthetic images of that class, and compare the <b>average feature vector</b> of each. Move the synthetic "
        "pixels so the averages agree. Repeat with a new random network every iteration.</p>"
        "<p style='font-family:serif'>L = &Sigma;<sub>c</sub> &#8214; mean &psi;<sub>&theta;</sub>(real<sub>c</sub>) "
        "&minus; mean &psi;<sub>&theta;</sub>(synthetic<sub>c</sub>) &#8214;&sup2;,  &theta; new every step</p>"
        "<p>Watch: from noise, the class shapes appear within a few hundred iterations. The per-class curves show "
        "which classes are still far from their real average.</p>"};
}

std::string DmMethod::lossName() const
{
    return "DM embedding distance";
}

std::vector<ParamSpec> DmMethod::parameters() const
{
    // Paper: main_DM.py (lr 1, momentum 0.5, 256 real per class, real init, DSA). Classroom: 16 real images per
    // class keep a 2-core CPU above 20 iterations/s; starting from noise lets a class watch the images form
    // (BENCHMARKS.md: recognisable after ~100 iterations at lr 1, 3 s).
    return {params::init(params::byPreset<std::string>("real", "noise")),
        params::lrImage([](const ParamContext&) { return 1.0; }), params::realBatch(params::byPreset<std::int64_t>(256, 16)),
        params::augment(true)};
}

void DmMethod::resolveRunDefaults(RunConfig& config, const DatasetInfo& data) const
{
    if (config.iterations == 0)
        config.iterations = config.preset == "paper" ? 20000 : 1000;
    resolveMethodEvalProtocol(config.eval, "dsa", data);
}

void DmMethod::init(const MethodContext& context)
{
    const RunConfig& config = context.config;
    m_data = &context.data;
    m_ipc = config.ipc;
    m_realBatch = config.params.integer32("realBatch");
    checkIpcFits(m_data->info(), m_ipc);
    checkRealBatchFits(m_data->info(), m_realBatch);
    m_seed = config.seed;
    const std::string& augment = config.params.text("augment");
    if (augment != "none")
        m_dsa.emplace(augment, deriveSeed(m_seed, kStreamDsa));

    m_set = initialSyntheticSet(*m_data, m_ipc, config.params.text("init"));
    m_optimizer = std::make_unique<ImageSgd>(m_set.images, config.params.real("lrImage"), 0.5);
    const NetworkShape shape = networkShape(*m_data);
    m_net = makeNetwork(config.model, shape);
    m_net->to(m_data->device());
    // Batch norm in train mode normalises over the batch it is given, as the reference's one forward of all classes
    // does: pieces would change that, so it gets one batch.
    m_pieceRows = config.model.norm == "batch" ? std::numeric_limits<std::int64_t>::max()
                                               : rowsPerPiece(config.model, shape, m_data->device(), pieceBudgetBytes(config.performance));
    for (auto& p : m_net->parameters())
        p.set_requires_grad(false); // the network is a random feature map, never trained
    m_channelsLast = config.performance.channelsLast && !m_data->device().is_cpu();
    if (m_channelsLast)
        useChannelsLast(*m_net);
    m_bf16 = config.performance.bf16;
}

DmMethod::Draws DmMethod::prepareIteration(int iteration)
{
    if (m_dsa)
        m_dsa->reseed(deriveSeed(m_seed, kStreamDsa, static_cast<std::uint64_t>(iteration)));
    reinitialise(*m_net); // θ ∼ P₀ afresh every iteration
    m_net->train();
    Draws d;
    d.realIndices = m_data->sampleAllClasses(m_realBatch);
    if (m_dsa)
        d.augmentation = m_dsa->draw(m_data->numClasses(), m_data->height(), m_data->width(), m_data->device());
    return d;
}

torch::Tensor DmMethod::realEmbedding(const torch::Tensor& x)
{
    // A constant target (no gradient): with performance.bf16 it is computed in bfloat16 — the input cast too, so
    // that the fused kernels, which autocast does not reach, also run in bf16 — and averaged in fp32.
    torch::NoGradGuard noGrad;
    const Bf16Autocast autocast(x.device(), m_bf16);
    const torch::Tensor input = withLayout(m_bf16 ? x.to(torch::kBFloat16) : x, m_channelsLast);
    return mapInPieces(input, m_pieceRows, [this](const torch::Tensor& piece) { return m_net->embed(piece).to(torch::kFloat); });
}

std::pair<torch::Tensor, torch::Tensor> DmMethod::loss(const Draws& draws, bool perClassLoop)
{
    const int classes = m_data->numClasses();
    const std::optional<DsaDraw>& draw = draws.augmentation;
    const torch::Tensor real = m_data->trainImages().index_select(0, draws.realIndices);
    if (!perClassLoop) {
        torch::Tensor realMean;
        {
            torch::NoGradGuard noGrad; // real features are a constant target
            const torch::Tensor x = draw ? Dsa::apply(real, repeatRows(*draw, m_realBatch)) : real;
            realMean = realEmbedding(x).view({classes, m_realBatch, -1}).mean(1);
        }
        const torch::Tensor s = draw ? Dsa::apply(m_set.images, repeatRows(*draw, m_ipc)) : m_set.images;
        const torch::Tensor synMean = m_net->embed(withLayout(s, m_channelsLast)).view({classes, m_ipc, -1}).mean(1);
        const torch::Tensor terms = (realMean - synMean).pow(2).sum(1);
        return {terms.sum(), terms};
    }
    // The reference's loop: class by class, the same draw for real and synthetic images of that class.
    std::vector<torch::Tensor> terms;
    for (int c = 0; c < classes; ++c) {
        std::optional<DsaDraw> classDraw;
        if (draw)
            classDraw = selectRow(*draw, c);
        torch::Tensor realMean;
        {
            torch::NoGradGuard noGrad;
            torch::Tensor x = real.slice(0, static_cast<std::int64_t>(c) * m_realBatch, static_cast<std::int64_t>(c + 1) * m_realBatch);
            if (classDraw)
                x = Dsa::apply(x, *classDraw);
            realMean = realEmbedding(x).mean(0);
        }
        torch::Tensor s = classSlice(m_set.images, c, m_ipc);
        if (classDraw)
            s = Dsa::apply(s, *classDraw);
        terms.push_back((realMean - m_net->embed(s).mean(0)).pow(2).sum());
    }
    const torch::Tensor stacked = torch::stack(terms);
    return {stacked.sum(), stacked};
}

StepResult DmMethod::step(int iteration)
{
    auto [total, terms] = loss(prepareIteration(iteration), false);
    m_optimizer->zeroGrad();
    total.backward();
    m_optimizer->step();
    return {total.detach(), terms.detach()};
}

std::pair<StepResult, StepResult> DmMethod::lossBothWays(int iteration)
{
    torch::NoGradGuard noGrad;
    const Draws draws = prepareIteration(iteration);
    const auto batched = loss(draws, false);
    const auto loop = loss(draws, true);
    return {{batched.first, batched.second}, {loop.first, loop.second}};
}

SyntheticTensors DmMethod::synthetic() const
{
    return m_set;
}

std::map<std::string, torch::Tensor> DmMethod::resumeState() const
{
    return imageMomentumState(*m_optimizer);
}

void DmMethod::resume(const torch::Tensor& images, const std::map<std::string, torch::Tensor>& state)
{
    restoreImages(m_set.images, images);
    restoreImageMomentum(*m_optimizer, state);
}

} // namespace distillery::core

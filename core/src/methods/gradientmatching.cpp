// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "methods/gradientmatching.h"

#include "methods/commonparams.h"
#include "methods/evaldefaults.h"
#include "methods/matchingtools.h"
#include "nn/pieces.h"
#include "util/autocast.h"
#include "util/torchutil.h"

#include <distillery/error.h>

namespace distillery::core {
namespace {

    constexpr std::uint64_t kStreamDsa = 0xD2;
    // Inner-loop minibatch and the real images per class used to set batch-norm statistics (reference values).
    constexpr std::int64_t kInnerBatch = 256;
    constexpr std::int64_t kBatchNormImages = 16;

    torch::Tensor labelsOf(int c, std::int64_t n, torch::Device device)
    {
        return torch::full({n}, c, torch::TensorOptions().dtype(torch::kInt64).device(device));
    }

} // namespace

GradientMatchingMethod::GradientMatchingMethod(bool siameseAugmentation)
    : m_dsaMode(siameseAugmentation)
{
}

MethodInfo GradientMatchingMethod::info() const
{
    if (m_dsaMode)
        return {"dsa", "Gradient matching with Siamese augmentation (DSA)",
            "Like DC, with the same random augmentation applied to the real and the synthetic batch it is matched to.",
            false,
            "<h3>Gradient matching with Siamese augmentation (DSA)</h3>"
            "<p>DC, with one twist: before matching, the real and the synthetic batch get <b>the same random "
            "augmentation</b> (the same crop, flip, rotation, colour change). The synthetic images learn what "
            "survives augmentation.</p>"
            "<p style='font-family:serif'>L = &Sigma;<sub>c</sub> D(&nabla;&#8467;(A<sub>&omega;</sub>(synthetic<sub>c</sub>)), "
            "&nabla;&#8467;(A<sub>&omega;</sub>(real<sub>c</sub>))),  one &omega; for both</p>"};
    return {"dc", "Dataset condensation, gradient matching (DC)",
        "Makes the training gradient of a network on the synthetic images match its gradient on real images, "
        "layer by layer, while the network itself trains on the synthetic set.",
        false,
        "<h3>Gradient matching (DC)</h3>"
        "<p>A network learns from the real data by following gradients. DC makes the synthetic images produce "
        "<b>the same gradient</b> as real images of the same class, layer by layer, while the network itself trains "
        "on the synthetic set.</p>"
        "<p style='font-family:serif'>L = &Sigma;<sub>c</sub> &Sigma;<sub>layers</sub> &Sigma;<sub>units</sub> "
        "(1 &minus; cos(&nabla;<sub>&theta;</sub>&#8467;(synthetic<sub>c</sub>), "
        "&nabla;<sub>&theta;</sub>&#8467;(real<sub>c</sub>)))</p>"
        "<p>Watch: each iteration is slow (many small training steps), and the images stay noisy but informative.</p>"};
}

std::string GradientMatchingMethod::lossName() const
{
    return "gradient distance per class";
}

std::vector<ParamSpec> GradientMatchingMethod::parameters() const
{
    // The reference's table of loops per IPC (docs/methods.md §4); the classroom caps them so a CPU iteration takes
    // well under a second.
    auto outer = [](const ParamContext& c) -> std::int64_t {
        const int loops = referenceLoops(c.ipc).first;
        return c.preset == "paper" ? loops : std::min(loops, 5);
    };
    auto inner = [](const ParamContext& c) -> std::int64_t {
        const int loops = referenceLoops(c.ipc).second;
        return c.preset == "paper" ? loops : std::min(loops, 10);
    };
    const std::string init = m_dsaMode ? "real" : "noise";
    return {params::init([init](const ParamContext&) { return init; }),
        params::lrImage([](const ParamContext&) { return 0.1; }), params::lrNet([](const ParamContext&) { return 0.01; }),
        params::realBatch(params::byPreset<std::int64_t>(256, 32)), params::outerLoops(outer), params::innerLoops(inner),
        params::augment(m_dsaMode)};
}

void GradientMatchingMethod::resolveRunDefaults(RunConfig& config, const DatasetInfo& data) const
{
    if (config.iterations == 0)
        config.iterations = config.preset == "paper" ? 1000 : 200;
    // DC's numbers use 300 epochs without augmentation; DSA's 1000 with DSA (docs/methods.md §1.4).
    resolveMethodEvalProtocol(config.eval, m_dsaMode ? "dsa" : "none", data);
}

void GradientMatchingMethod::init(const MethodContext& context)
{
    m_config = &context.config;
    m_data = &context.data;
    m_ipc = m_config->ipc;
    m_realBatch = m_config->params.integer32("realBatch");
    checkIpcFits(m_data->info(), m_ipc);
    checkRealBatchFits(m_data->info(), m_realBatch);
    const std::string& augment = m_config->params.text("augment");
    if (m_dsaMode && augment == "none")
        throw Error("params.augment: DSA needs an augmentation strategy (it is DC without one)");
    if (augment != "none")
        m_dsa.emplace(augment, deriveSeed(m_config->seed, kStreamDsa));
    m_set = initialSyntheticSet(*m_data, m_ipc, m_config->params.text("init"));
    m_optimizer = std::make_unique<ImageSgd>(m_set.images, m_config->params.real("lrImage"), 0.5);
    const NetworkShape shape = networkShape(*m_data);
    m_net = makeNetwork(m_config->model, shape);
    m_net->to(m_data->device());
    m_batchNorm = m_config->model.norm == "batch";
    m_channelsLast = m_config->performance.channelsLast && !m_data->device().is_cpu();
    if (m_channelsLast)
        useChannelsLast(*m_net);
    m_bf16 = m_config->performance.bf16;
    if (ClassParallelConvNet::supports(m_config->model))
        m_parallel.emplace(dynamic_cast<ConvNetImpl&>(*m_net), m_data->numClasses());
    // On a GPU the classes run side by side as one grouped pass. On the CPU that pass is a win only while it is
    // small: at the classroom size (10 classes × 32 real images of ConvNet-32, 42 MB per activation) it took 118 ms
    // per DSA iteration against 161 ms for the loop over classes, at the paper size (1.3 GB) 12.9 s against 6.1 s
    // for the loop with each class's real batch in pieces (BENCHMARKS.md, "CPU against the reference"). The line
    // is drawn at four piece budgets; sizes between the two measured ones are untested.
    const std::int64_t budget = pieceBudgetBytes(m_config->performance);
    const std::int64_t groupedBytes
        = largestActivationBytes(m_config->model, shape) * m_data->numClasses() * static_cast<std::int64_t>(m_realBatch);
    m_useParallel = m_parallel.has_value() && (!m_data->device().is_cpu() || budget == 0 || groupedBytes <= 4 * budget);
    m_pieceRows = rowsPerPiece(m_config->model, shape, m_data->device(), budget);
    const bool graphs = m_config->performance.cudaGraphs && !m_data->device().is_cpu();
    m_inner = std::make_unique<InnerLoop>(*m_net, m_set.images, m_set.labels, m_dsa ? &*m_dsa : nullptr,
        m_config->params.real("lrNet"), m_channelsLast, graphs ? InnerLoopMode::Graphed : InnerLoopMode::Reference, kInnerBatch);
    m_log = context.log;
}

void GradientMatchingMethod::freezeBatchNorm()
{
    // Reference: one forward of 16 real images per class in train mode sets the running statistics, then every
    // batch-norm layer is put in eval mode for the matching.
    {
        torch::NoGradGuard noGrad;
        m_net->train();
        m_net->forward(m_data->trainImages().index_select(0, m_data->sampleAllClasses(kBatchNormImages)));
    }
    m_net->apply([](torch::nn::Module& m) {
        if (dynamic_cast<torch::nn::BatchNorm2dImpl*>(&m))
            m.eval();
    });
}

torch::Tensor GradientMatchingMethod::matchDistances(
    const torch::Tensor& real, const std::optional<DsaDraw>& draw, bool classParallel)
{
    const int classes = m_data->numClasses();
    const std::int64_t realBatch = real.size(0) / classes;
    if (classParallel) {
        const torch::Tensor r = draw ? Dsa::apply(real, repeatRows(*draw, realBatch)) : real;
        const torch::Tensor s = draw ? Dsa::apply(m_set.images, repeatRows(*draw, m_ipc)) : m_set.images;
        std::vector<torch::Tensor> realGrads;
        {
            const Bf16Autocast autocast(r.device(), m_bf16); // a constant target: bf16 where asked for
            realGrads = m_parallel->classGradients(withLayout(r, m_channelsLast), false);
        }
        // create_graph: the distance must be differentiable with respect to the synthetic images.
        const std::vector<torch::Tensor> synGrads = m_parallel->classGradients(withLayout(s, m_channelsLast), true);
        return ClassParallelConvNet::classDistances(synGrads, realGrads);
    }
    // The reference's loop over classes.
    const auto device = m_data->device();
    const std::vector<torch::Tensor> parameters = m_net->parameters();
    std::vector<torch::Tensor> distances;
    for (int c = 0; c < classes; ++c) {
        torch::Tensor r = real.slice(0, c * realBatch, (c + 1) * realBatch);
        torch::Tensor s = classSlice(m_set.images, c, m_ipc);
        if (draw) {
            const DsaDraw shared = selectRow(*draw, c); // one draw for the real and the synthetic batch
            r = Dsa::apply(r, shared);
            s = Dsa::apply(s, shared);
        }
        std::vector<torch::Tensor> realGrads;
        {
            // Pieces are exact here: batch norm, where the model has it, is frozen during matching.
            const Bf16Autocast autocast(r.device(), m_bf16);
            realGrads = meanGradientInPieces(r, m_pieceRows, [&](const torch::Tensor& piece) {
                const torch::Tensor realLoss = torch::nn::functional::cross_entropy(
                    m_net->forward(withLayout(piece, m_channelsLast)), labelsOf(c, piece.size(0), device));
                std::vector<torch::Tensor> grads = torch::autograd::grad({realLoss}, parameters);
                for (auto& g : grads)
                    g = g.detach();
                return grads;
            });
        }
        const torch::Tensor synLoss
            = torch::nn::functional::cross_entropy(m_net->forward(withLayout(s, m_channelsLast)), labelsOf(c, m_ipc, device));
        const std::vector<torch::Tensor> synGrads
            = torch::autograd::grad({synLoss}, parameters, {}, /*retain_graph=*/true, /*create_graph=*/true);
        distances.push_back(gradientDistance(synGrads, realGrads));
    }
    return torch::stack(distances);
}

void GradientMatchingMethod::trainInner()
{
    const bool first = !m_inner->prepared();
    m_inner->train(m_config->params.integer32("innerLoops"));
    if (first && m_log) {
        if (m_inner->mode() == InnerLoopMode::Graphed)
            m_log("inner loop: CUDA graphs captured");
        else if (!m_inner->fallbackReason().empty()) // only set when graphs were asked for
            m_log("inner loop without CUDA graphs: " + m_inner->fallbackReason());
    }
}

void GradientMatchingMethod::beginIteration(int iteration)
{
    if (m_dsa)
        m_dsa->reseed(deriveSeed(m_config->seed, kStreamDsa, static_cast<std::uint64_t>(iteration)));
    reinitialise(*m_net);
    m_net->train();
}

std::pair<torch::Tensor, torch::Tensor> GradientMatchingMethod::distancesBothWays(int iteration)
{
    if (!m_parallel)
        throw Error("class-parallel matching is not available for this network");
    beginIteration(iteration);
    const torch::Tensor real = m_data->trainImages().index_select(0, m_data->sampleAllClasses(m_realBatch));
    std::optional<DsaDraw> draw;
    if (m_dsaMode)
        draw = m_dsa->draw(m_data->numClasses(), m_data->height(), m_data->width(), m_data->device());
    return {matchDistances(real, draw, true).detach(), matchDistances(real, draw, false).detach()};
}

// A function of its own so that `terms` and its autograd graph end before the inner loop starts: that graph holds
// the gradient accumulators of the network's parameters, created on the caller's (default) stream. Kept alive, they
// make autograd synchronise that stream with the inner loop's CUDA-graph capture stream, which invalidates the
// capture (LibTorch 2.11 on the H100, BENCHMARKS.md "CUDA graphs").
torch::Tensor GradientMatchingMethod::matchAndUpdateImages()
{
    const torch::Tensor real
        = m_data->trainImages().index_select(0, m_data->sampleAllClasses(m_realBatch));
    std::optional<DsaDraw> draw;
    if (m_dsaMode)
        draw = m_dsa->draw(m_data->numClasses(), m_data->height(), m_data->width(), m_data->device());
    const torch::Tensor terms = matchDistances(real, draw, m_useParallel);
    // Only the images need this gradient: asking for it alone skips the network's parameter gradients.
    const torch::Tensor imageGrad = torch::autograd::grad({terms.sum()}, {m_set.images})[0];
    // Overwrite rather than zero_grad(): the returned gradient may be a view, which zero_grad cannot detach.
    m_set.images.mutable_grad() = imageGrad.detach();
    m_optimizer->step();
    return terms.detach();
}

StepResult GradientMatchingMethod::step(int iteration)
{
    beginIteration(iteration);
    const int classes = m_data->numClasses();
    const int outer = m_config->params.integer32("outerLoops");
    torch::Tensor termSum = torch::zeros({classes}, torch::TensorOptions().dtype(torch::kFloat32).device(m_data->device()));

    for (int ol = 0; ol < outer; ++ol) {
        if (m_batchNorm)
            freezeBatchNorm();
        termSum += matchAndUpdateImages();
        if (ol == outer - 1)
            break;
        trainInner();
    }
    const torch::Tensor classTerms = termSum / static_cast<double>(outer);
    return {classTerms.mean(), classTerms};
}

SyntheticTensors GradientMatchingMethod::synthetic() const
{
    return m_set;
}

std::map<std::string, torch::Tensor> GradientMatchingMethod::resumeState() const
{
    return imageMomentumState(*m_optimizer);
}

void GradientMatchingMethod::resume(const torch::Tensor& images, const std::map<std::string, torch::Tensor>& state)
{
    restoreImages(m_set.images, images);
    restoreImageMomentum(*m_optimizer, state);
}

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "methods/coreset.h"

#include "methods/commonparams.h"
#include "methods/evaldefaults.h"
#include "nn/network.h"
#include "nn/training.h"
#include "util/torchutil.h"

#include <distillery/error.h>

namespace distillery::core {
namespace {

    // Rows per embedding forward when computing ConvNet features for the whole training split.
    constexpr std::int64_t kFeatureBatch = 1024;
    constexpr std::uint64_t kStreamFeatureNet = 0xC1;

} // namespace

CoresetMethod::CoresetMethod(CoresetRule rule)
    : m_rule(rule)
{
}

MethodInfo CoresetMethod::info() const
{
    switch (m_rule) {
    case CoresetRule::Random:
        return {"random", "Random real (coreset)", "Keeps randomly chosen real training images of each class.", true,
            "<h3>Random real images</h3><p>No distillation: keep a few real images of each class, chosen at random. "
            "Every distillation method must beat this baseline under the same evaluation.</p>"};
    case CoresetRule::Herding:
        return {"herding", "Herding (coreset)",
            "Keeps real images whose running feature mean stays closest to the class mean (Welling 2009).", true,
            "<h3>Herding</h3><p>Keep real images one at a time so that the <b>average feature</b> of the kept images "
            "stays as close as possible to the average of the whole class.</p>"
            "<p style='font-family:serif'>p<sub>k</sub> = argmin<sub>x</sub> &#8214;&mu;<sub>c</sub> &minus; "
            "(&phi;(x) + &Sigma;<sub>j&lt;k</sub> &phi;(p<sub>j</sub>)) / k&#8214;</p>"};
    case CoresetRule::KCenter:
        return {"kcenter", "K-center greedy (coreset)",
            "Keeps real images that cover the class: each new one is the image farthest from those already kept.", true,
            "<h3>K-center greedy</h3><p>Keep real images that <b>cover</b> the class: each new image is the one "
            "farthest from every image kept so far. The curve shows the coverage radius shrinking.</p>"};
    }
    return {};
}

std::vector<ParamSpec> CoresetMethod::parameters() const
{
    if (m_rule == CoresetRule::Random)
        return {}; // random choice needs no features (its curve measures the kept images' mean in pixels)
    return {params::features(params::byPreset<std::string>("convnet", "pixels")),
        params::featureEpochs(params::byPreset<std::int64_t>(20, 2))};
}

void CoresetMethod::resolveRunDefaults(RunConfig& config, const DatasetInfo& data) const
{
    config.iterations = config.ipc; // one image per class per step: not a choice
    // docs/methods.md §2 evaluates coresets like everything else; the DSA protocol is the one later methods share.
    resolveMethodEvalProtocol(config.eval, "dsa", data);
}

torch::Tensor CoresetMethod::computeFeatures(const MethodContext& context) const
{
    const Dataset& data = context.data;
    const RunConfig& config = context.config;
    if (m_rule == CoresetRule::Random || config.params.text("features") == "pixels")
        return data.trainImages().flatten(1);

    // A ConvNet trained on the whole training split with the protocol's optimiser, no augmentation.
    EvalConfig training;
    training.models = 1;
    training.epochs = config.params.integer32("featureEpochs");
    training.augment = "none";
    const std::string stage = "training the feature network";
    if (context.log)
        context.log(stage + " on " + std::to_string(data.trainImages().size(0)) + " images for "
            + std::to_string(training.epochs) + " epochs");
    const std::uint64_t seed = deriveSeed(config.seed, kStreamFeatureNet);
    TrainingProgressFn progress;
    if (context.progress)
        progress = [&](const TrainingProgress& p) {
            context.progress({stage, "batches", p.batch + static_cast<long>(p.pass) * p.batches,
                static_cast<long>(p.passes) * p.batches});
        };
    Network net = trainNetwork({data.trainImages(), data.trainLabels()}, data, config.model, training, seed, seed + 1,
        progress, context.control);
    torch::NoGradGuard noGrad;
    net->eval();
    std::vector<torch::Tensor> parts;
    const torch::Tensor& images = data.trainImages();
    for (std::int64_t start = 0; start < images.size(0); start += kFeatureBatch)
        parts.push_back(net->embed(images.slice(0, start, std::min(images.size(0), start + kFeatureBatch))));
    return torch::cat(parts);
}

void CoresetMethod::init(const MethodContext& context)
{
    m_data = &context.data;
    m_ipc = context.config.ipc;
    checkIpcFits(m_data->info(), m_ipc);
    const torch::Tensor features = computeFeatures(context); // may train a network: gradients on
    torch::NoGradGuard noGrad;
    m_classes.clear();
    for (int c = 0; c < m_data->numClasses(); ++c) {
        ClassState s;
        s.indices = m_data->classIndices(c);
        s.features = features.index_select(0, s.indices);
        s.mean = s.features.mean(0);
        s.chosenSum = torch::zeros_like(s.mean);
        s.available = torch::ones({s.indices.size(0)}, torch::TensorOptions().dtype(torch::kBool).device(s.indices.device()));
        s.randomOrder = torch::randperm(s.indices.size(0), torch::TensorOptions().dtype(torch::kInt64).device(s.indices.device()));
        m_classes.push_back(std::move(s));
    }
}

std::int64_t CoresetMethod::chooseNext(ClassState& s, int iteration) const
{
    const auto inf = std::numeric_limits<float>::infinity();
    switch (m_rule) {
    case CoresetRule::Random:
        return s.randomOrder[iteration - 1].item<std::int64_t>();
    case CoresetRule::Herding: {
        // p_k = argmin_x ‖μ − (φ(x) + Σ_{j<k} φ(p_j)) / k‖ over the rows not chosen yet (docs/methods.md §2).
        const torch::Tensor candidate = (s.features + s.chosenSum) / static_cast<double>(iteration);
        const torch::Tensor distance = (candidate - s.mean).norm(2, 1).masked_fill(~s.available, inf);
        return distance.argmin().item<std::int64_t>();
    }
    case CoresetRule::KCenter: {
        if (iteration == 1) // Q starts with one random row
            return s.randomOrder[0].item<std::int64_t>();
        return s.minDistance.masked_fill(~s.available, -inf).argmax().item<std::int64_t>();
    }
    }
    return 0;
}

torch::Tensor CoresetMethod::objective(const ClassState& s) const
{
    if (m_rule == CoresetRule::KCenter)
        return s.minDistance.max();
    const double k = static_cast<double>(s.chosenRows.size());
    return (s.mean - s.chosenSum / k).norm();
}

std::string CoresetMethod::lossName() const
{
    return m_rule == CoresetRule::KCenter ? "coverage radius" : "distance to class mean";
}

StepResult CoresetMethod::step(int iteration)
{
    torch::NoGradGuard noGrad;
    if (iteration < 1 || iteration > m_ipc)
        throw Error("coreset: iteration " + std::to_string(iteration) + " outside 1…" + std::to_string(m_ipc));
    std::vector<torch::Tensor> terms;
    for (auto& s : m_classes) {
        const std::int64_t row = chooseNext(s, iteration);
        s.chosenRows.push_back(row);
        s.available[row] = false;
        const torch::Tensor chosen = s.features[row];
        s.chosenSum += chosen;
        if (m_rule == CoresetRule::KCenter) {
            const torch::Tensor distance = (s.features - chosen).norm(2, 1);
            s.minDistance = s.minDistance.defined() ? torch::minimum(s.minDistance, distance) : distance;
        }
        terms.push_back(objective(s));
    }
    const torch::Tensor classTerms = torch::stack(terms);
    return {classTerms.sum(), classTerms};
}

SyntheticTensors CoresetMethod::synthetic() const
{
    std::vector<torch::Tensor> picked;
    for (const auto& s : m_classes)
        if (!s.chosenRows.empty())
            picked.push_back(s.indices.index_select(0, fromInt64Vector(s.chosenRows).to(s.indices.device())));
    SyntheticTensors t;
    const torch::Tensor index = picked.empty()
        ? torch::empty({0}, torch::TensorOptions().dtype(torch::kInt64).device(m_data->device()))
        : torch::cat(picked);
    t.images = m_data->trainImages().index_select(0, index);
    t.labels = m_data->trainLabels().index_select(0, index);
    t.initIndices = index.to(torch::kCPU);
    return t;
}

} // namespace distillery::core

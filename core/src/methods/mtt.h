// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "augment/dsa.h"
#include "methods/matchingtools.h"
#include "methods/method.h"
#include "nn/functionalnet.h"
#include "trajectory/experts.h"

#include <memory>
#include <optional>

namespace distillery::core {

/// Matching training trajectories (MTT; Cazenavette et al., CVPR 2022; docs/methods.md §7). Experts are networks
/// trained on the real data, their parameters stored after every epoch (a preparation stage with its own cache,
/// trajectory/experts.h). Each iteration starts a student at a random expert's epoch t, trains it N plain SGD steps
/// on the synthetic set with a learned step size α, and moves the pixels (and α) so that the student lands near
/// where the expert was M epochs later:
///   L = ‖θ̂_N − θ*_{t+M}‖² / ‖θ*_t − θ*_{t+M}‖².
/// Two ways to get the gradient: the full unroll (exact, memory ∝ N × batch) and TESLA's constant-memory form
/// (Cui et al., ICML 2023: one step's graph at a time; it drops the terms through later steps' dependence on
/// earlier images, see docs/methods.md and BENCHMARKS.md for how close it is).
class MttMethod final : public Method
{
public:
    MethodInfo info() const override;
    std::string lossName() const override;
    std::vector<ParamSpec> parameters() const override;
    void resolveRunDefaults(RunConfig& config, const DatasetInfo& data) const override;
    void init(const MethodContext& context) override;
    StepResult step(int iteration) override;
    SyntheticTensors synthetic() const override;
    std::map<std::string, torch::Tensor> resumeState() const override;
    void resume(const torch::Tensor& images, const std::map<std::string, torch::Tensor>& state) override;

    /// What one iteration would do to the images and α, without applying it: the loss and the gradients
    /// (images, α, label logits when learned). `constantMemory` picks the gradient form; tests compare the two.
    struct Gradients
    {
        torch::Tensor loss;
        torch::Tensor images;
        torch::Tensor alpha;
        torch::Tensor labelLogits;
        /// The student's normalised distance to the expert's target after each unrolled step (0…N, the first is 1
        /// by construction), on the device: what the window plots (StepResult::unrollCurve).
        torch::Tensor distances;
    };
    Gradients gradients(int iteration, bool constantMemory);

private:
    struct Draws
    {
        int expert = 0;
        int startEpoch = 0;
        std::vector<torch::Tensor> batches; ///< synthetic indices of each student step
        std::vector<std::optional<DsaDraw>> augmentations;
    };
    Draws draw(int iteration);
    /// The student's loss on one batch under parameters `theta`; `constantSet` leaves the images and labels out of
    /// the graph (a gradient with respect to θ only).
    torch::Tensor studentLoss(const torch::Tensor& theta, const Draws& d, std::size_t step, bool constantSet = false) const;
    torch::Tensor labelTargets() const;
    /// Both return the student's distances (Gradients::distances) and set `loss`.
    torch::Tensor fullUnroll(const Draws& d, const torch::Tensor& start, const torch::Tensor& target, torch::Tensor& loss);
    torch::Tensor constantMemory(const Draws& d, const torch::Tensor& start, const torch::Tensor& target, torch::Tensor& loss);

    const Dataset* m_data = nullptr;
    int m_ipc = 0;
    int m_synSteps = 0;
    int m_expertEpochs = 0;
    int m_maxStartEpoch = 0;
    int m_experts = 0;
    int m_batchSyn = 0;
    bool m_constantMemory = false;
    bool m_learnLabels = false;
    std::uint64_t m_seed = 0;
    Network m_net; ///< the architecture; its parameters are never used
    std::unique_ptr<FunctionalNet> m_functional;
    std::unique_ptr<ExpertStore> m_store;
    std::unique_ptr<ExpertCache> m_cache;
    SyntheticTensors m_set;
    torch::Tensor m_alpha; ///< the learned step size, 0-d leaf
    torch::Tensor m_labelLogits; ///< N×K leaf when labels are learned
    std::unique_ptr<ImageSgd> m_imageOptimizer;
    std::unique_ptr<ImageSgd> m_alphaOptimizer;
    std::unique_ptr<ImageSgd> m_labelOptimizer;
    std::optional<Dsa> m_dsa;
};

} // namespace distillery::core

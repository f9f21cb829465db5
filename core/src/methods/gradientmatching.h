// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "augment/dsa.h"
#include "methods/classparallel.h"
#include "methods/innerloop.h"
#include "methods/matchingtools.h"
#include "methods/method.h"
#include "nn/network.h"

#include <optional>

namespace distillery::core {

/// Gradient matching: DC (Zhao et al., ICLR 2021; docs/methods.md §4) and, with Siamese augmentation in every
/// matching step and per-batch augmentation in the inner loop, DSA (Zhao & Bilen, ICML 2021; §5).
/// One iteration: a fresh network; `outer` times: for every class, match the gradient of the loss on the
/// synthetic images of the class to that on a real batch of the class (layer-wise distance), update the images,
/// then train the network `inner` epochs on the (detached) synthetic set.
/// With a ConvNet without batch norm, all classes' gradients come from one class-parallel pass (ClassParallelConvNet)
/// instead of the reference's loop, on a GPU always, on the CPU while that pass is small; a test checks both give
/// the same distances. Otherwise the loop runs, each class's real batch in pieces on the CPU (nn/pieces.h).
/// Augmentation, as in DM: Siamese per class with one DSA group per matching step for all classes (the reference
/// draws a group per class).
/// The inner loop (InnerLoop) runs as CUDA graphs on CUDA unless PerformanceConfig::cudaGraphs is off.
class GradientMatchingMethod final : public Method
{
public:
    explicit GradientMatchingMethod(bool siameseAugmentation);

    MethodInfo info() const override;
    std::string lossName() const override;
    std::vector<ParamSpec> parameters() const override;
    void resolveRunDefaults(RunConfig& config, const DatasetInfo& data) const override;
    void init(const MethodContext& context) override;
    StepResult step(int iteration) override;
    SyntheticTensors synthetic() const override;
    std::map<std::string, torch::Tensor> resumeState() const override;
    void resume(const torch::Tensor& images, const std::map<std::string, torch::Tensor>& state) override;

    /// The per-class distances of the first matching step of `iteration`, class-parallel and class by class, from
    /// the same network, real batch and augmentation (diagnostics: they must agree).
    std::pair<torch::Tensor, torch::Tensor> distancesBothWays(int iteration);

private:
    /// Per-class matching distances (K), differentiable with respect to the synthetic images, for a class-major
    /// real batch and an optional per-class augmentation draw.
    torch::Tensor matchDistances(const torch::Tensor& real, const std::optional<DsaDraw>& draw, bool classParallel);
    /// One matching step of every class: distances on a fresh real batch (and augmentation draw), one update of the
    /// images. Returns the detached per-class distances; nothing of the step's autograd graph outlives the call.
    torch::Tensor matchAndUpdateImages();
    void beginIteration(int iteration);
    void trainInner();
    void freezeBatchNorm();

    bool m_dsaMode;
    const Dataset* m_data = nullptr;
    const RunConfig* m_config = nullptr;
    int m_ipc = 0;
    int m_realBatch = 0;
    Network m_net;
    SyntheticTensors m_set;
    std::unique_ptr<ImageSgd> m_optimizer;
    std::optional<Dsa> m_dsa;
    bool m_batchNorm = false;
    bool m_channelsLast = false;
    bool m_bf16 = false; ///< real gradients under bf16 autocast (performance.bf16)
    std::optional<ClassParallelConvNet> m_parallel;
    bool m_useParallel = false; ///< m_parallel in the iterations (see init()); the tests compare both ways
    std::int64_t m_pieceRows = 0; ///< real images per gradient pass in the loop over classes (nn/pieces.h)
    std::unique_ptr<InnerLoop> m_inner;
    std::function<void(const std::string&)> m_log;
};

} // namespace distillery::core

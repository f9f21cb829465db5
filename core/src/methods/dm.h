// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "augment/dsa.h"
#include "methods/matchingtools.h"
#include "methods/method.h"
#include "nn/network.h"

#include <optional>

namespace distillery::core {

/// Distribution matching (DM; Zhao & Bilen, WACV 2023; docs/methods.md §6): every iteration draws a fresh, untrained
/// network and moves the synthetic images so that each class's mean embedding matches the mean embedding of a
/// real batch of that class, under the same (Siamese) augmentation:
///   L = Σ_c ‖ mean ψ(A(B_c; ω_c)) − mean ψ(A(S_c; ω_c)) ‖².
/// All classes share one forward for the real batches and one for the synthetic set: instance norm is
/// per-sample, so the batched loss equals the reference's per-class loop (a test checks it).
/// Augmentation: every class gets its own Siamese parameters, as in the reference, but one DSA group is drawn per
/// iteration for all classes (the reference draws a group per class). Each class's term has the reference's
/// distribution, so the expected gradient is the same; only the correlation between classes differs.
class DmMethod final : public Method
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

    /// The loss of iteration `iteration` computed batched and class by class from the same draws, without
    /// updating anything (the two must agree: a test checks it).
    std::pair<StepResult, StepResult> lossBothWays(int iteration);

private:
    struct Draws
    {
        torch::Tensor realIndices;
        std::optional<DsaDraw> augmentation;
    };
    /// A fresh network and this iteration's real batch and augmentation.
    Draws prepareIteration(int iteration);
    /// (total, per-class terms) for the drawn real batch; `perClassLoop` follows the reference's loop.
    std::pair<torch::Tensor, torch::Tensor> loss(const Draws& draws, bool perClassLoop);
    /// The network's fp32 embedding of real images, without gradient; on the CPU in pieces of m_pieceRows images.
    torch::Tensor realEmbedding(const torch::Tensor& x);

    const Dataset* m_data = nullptr;
    int m_ipc = 0;
    int m_realBatch = 0;
    Network m_net;
    SyntheticTensors m_set;
    std::unique_ptr<ImageSgd> m_optimizer;
    std::optional<Dsa> m_dsa;
    std::uint64_t m_seed = 0;
    bool m_channelsLast = false;
    bool m_bf16 = false; ///< real embeddings under bf16 autocast (performance.bf16)
    std::int64_t m_pieceRows = 0; ///< real images per embedding pass (nn/pieces.h)
};

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "methods/kerneltargets.h"
#include "methods/method.h"
#include "methods/openadam.h"
#include "nn/network.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace distillery::core {

/// Neural feature regression with a model pool (FRePo-style; Zhou, Nezhadarya, Ba, NeurIPS 2022; docs/methods.md
/// §9.1): only a network's last layer is solved, in closed form, from the synthetic set; the features come from a
/// pool of P networks that are themselves trained, a step at a time, on the synthetic set and restarted after U
/// steps, so the set is shaped for networks at every stage of training.
///   Φ = ψ_m(x) (the network's features before its classifier, m a random pool member each step),
///   Ŷ_t = Φ_t Φ_sᵀ (Φ_s Φ_sᵀ + λ·tr/n · I)⁻¹ Y_s,
///   L = mean_t ½‖Ŷ_t − Y_t‖² + mean_s −min(y_s(1) − y_s(2), 1/K),  Y_t = one-hot − 1/K,
/// with the second term (label margin) only when labels are learned: Y_s = softmax(z_s) − 1/K for learned logits z_s
/// (docs/methods.md §9.1 says why softmax). The pixels and the logits follow Adam with a cosine decay to 0.1×.
class FrepoMethod final : public Method
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
    std::optional<KernelReadout> kernelReadout() const override;

private:
    /// One network of the pool, its own Adam and how many online steps it has taken since it was (re)started.
    struct PoolMember
    {
        Network net;
        std::unique_ptr<OpenAdam> optimizer;
        std::int64_t updates = 0;
    };

    double learningRateAt(int iteration) const; ///< the cosine schedule
    void trainPoolMember(PoolMember& member);
    void restartPoolMember(PoolMember& member);

    const Dataset* m_data = nullptr;
    std::function<void(const std::string&)> m_log;
    int m_realBatch = 0;
    int m_iterations = 0;
    int m_onlineBatch = 0;
    std::int64_t m_maxUpdates = 0;
    double m_ridge = 0;
    double m_reportedRidge = 0;
    double m_lrImage = 0;
    double m_lrLabel = 0;
    double m_lrModel = 0;
    SyntheticTensors m_set;
    KernelTargets m_targets; ///< Y_s
    std::unique_ptr<OpenAdam> m_imageOptimizer;
    std::vector<PoolMember> m_pool;
    std::int64_t m_pieceRows = 0; ///< real images per feature pass (nn/pieces.h)
};

} // namespace distillery::core

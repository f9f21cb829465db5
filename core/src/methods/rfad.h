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

/// Random-feature kernel distillation (RFAD-style; Loo et al., NeurIPS 2022; docs/methods.md §9.3): the synthetic
/// images are the support of a kernel ridge regression whose kernel is read out of the features of M fresh,
/// untrained ConvNets (redrawn every few iterations); each step predicts a class-balanced real batch from the
/// support in closed form and moves the pixels to lower the squared error:
///   Φ = [ψ_1(x), …, ψ_M(x)] / √(M·F),  K(a, b) = 2 Φ_a Φ_bᵀ + 0.01,
///   L = ½ mean ‖Y_t − K_ts (K_ss + ρ·tr(K_ss)/n · I)⁻¹ Y_s‖²,  Y = one-hot − 1/K,
/// or, with `loss` = platt, the cross-entropy of e^k times those predictions with a learned k (Platt scaling).
/// The labels are the classes' (fixed targets, hard labels) or, with `labels` = learned, learned with the pixels as
/// RFAD's label learning (kerneltargets.h; exported as probabilities).
class RfadMethod final : public Method
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
    const Dataset* m_data = nullptr;
    int m_ipc = 0;
    int m_realBatch = 0;
    int m_refresh = 1;
    double m_ridge = 0;
    double m_reportedRidge = 0; ///< the highest raised ridge said so far (kernelridge.h)
    std::function<void(const std::string&)> m_log;
    double m_lr = 0;
    std::uint64_t m_seed = 0;
    int m_networkBlock = -1; ///< the block of iterations the networks were drawn for (step())
    std::vector<Network> m_nets;
    SyntheticTensors m_set;
    KernelTargets m_targets; ///< Y_s: the classes' targets, or learned labels
    double m_lrLabel = 0;
    std::unique_ptr<OpenAdam> m_optimizer;
    bool m_platt = false; ///< Platt-scaled cross-entropy instead of the squared error
    torch::Tensor m_logScale; ///< k: the regression's outputs are scaled by e^k before the softmax (Platt)
    std::unique_ptr<OpenAdam> m_scaleOptimizer;
    std::int64_t m_pieceRows = 0; ///< real images per embedding pass (nn/pieces.h)
};

} // namespace distillery::core

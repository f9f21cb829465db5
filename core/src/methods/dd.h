// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "methods/method.h"
#include "methods/openadam.h"
#include "nn/functionalnet.h"

#include <memory>

namespace distillery::core {

/// The original dataset distillation (DD; Wang et al. 2018; docs/methods.md §3). The set is K_s step batches; a
/// network from a fresh (or one fixed) initialisation takes T = K_s·E_d plain gradient steps on them in turn, step t
/// with its own learned size η_t = softplus(ρ_t), and the pixels and ρ move (Adam, through the whole unroll) so that
/// the network after those steps classifies a real batch well:
///   min_{x̃, ρ} ℓ(f(x_real; θ_T), y_real),  θ_{t+1} = θ_t − η_t ∇_θ ℓ(f(x̃_{t mod K_s}; θ_t), ỹ).
/// The set is meant to be replayed that way; the session evaluates it so (learnedSchedule) and with the standard
/// protocol, each named.
class DdMethod final : public Method
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
    std::optional<LearnedSchedule> learnedSchedule() const override;

private:
    const Dataset* m_data = nullptr;
    int m_ipc = 0;
    int m_stepBatches = 0;
    int m_epochs = 0;
    int m_realBatch = 0;
    double m_lr = 0;
    int m_decayEvery = 0;
    bool m_learnLabels = false;
    bool m_fixedInit = false;
    std::uint64_t m_fixedInitSeed = 0;
    Network m_net;
    std::unique_ptr<FunctionalNet> m_functional;
    torch::Tensor m_fixedTheta;
    std::vector<torch::Tensor> m_batches;
    SyntheticTensors m_set;
    torch::Tensor m_rawSteps; ///< ρ, T values; η = softplus(ρ)
    torch::Tensor m_labelLogits;
    std::unique_ptr<OpenAdam> m_optimizer;
};

} // namespace distillery::core

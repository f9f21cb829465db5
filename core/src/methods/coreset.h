// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "methods/method.h"

#include <vector>

namespace distillery::core {

enum class CoresetRule
{
    Random,
    Herding,
    KCenter,
};

/// Coreset baselines (docs/methods.md §2): real training images, chosen per class. Each step adds one image to every
/// class, so a viewer watches the selection grow; `loss` is the rule's own objective, summed over classes:
///   random, herding: ‖μ_c − mean of the chosen features‖₂ (how well the chosen images represent the class mean);
///   k-center: the coverage radius max_x min_q ‖φ(x) − φ(q)‖₂ (how far the worst-covered image is).
/// Features are pixels or the embedding of a ConvNet trained on the training split (params.features).
class CoresetMethod final : public Method
{
public:
    explicit CoresetMethod(CoresetRule rule);

    MethodInfo info() const override;
    std::vector<ParamSpec> parameters() const override;
    void resolveRunDefaults(RunConfig& config, const DatasetInfo& data) const override;
    void init(const MethodContext& context) override;
    std::string lossName() const override;
    StepResult step(int iteration) override;
    SyntheticTensors synthetic() const override;

private:
    /// Per-class state of the greedy selection.
    struct ClassState
    {
        torch::Tensor features; ///< n_c × D, device
        torch::Tensor indices; ///< n_c training-set indices of those rows
        torch::Tensor mean; ///< D
        torch::Tensor chosenSum; ///< D, sum of the chosen rows' features
        torch::Tensor available; ///< n_c bool, false once chosen
        torch::Tensor minDistance; ///< n_c, k-center: distance to the nearest chosen row
        torch::Tensor randomOrder; ///< random: a permutation of the rows
        std::vector<std::int64_t> chosenRows;
    };

    torch::Tensor computeFeatures(const MethodContext& context) const;
    std::int64_t chooseNext(ClassState& state, int iteration) const;
    torch::Tensor objective(const ClassState& state) const;

    CoresetRule m_rule;
    const Dataset* m_data = nullptr;
    int m_ipc = 0;
    std::vector<ClassState> m_classes;
};

} // namespace distillery::core

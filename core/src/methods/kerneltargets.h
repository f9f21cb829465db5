// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// The support targets of the kernel methods (docs/methods.md §9): fixed class targets, or learned labels.
#pragma once

#include "methods/openadam.h"

#include <torch/torch.h>

#include <map>
#include <memory>
#include <string>

namespace distillery::core {

/// Y_s, the regression targets of a kernel method's supports: the fixed class targets one-hot − 1/K, or learned
/// labels. Learned labels are logits z (started as every learned label in Distillery, learnedlabels.h) with
/// Y_s = softmax(z) − 1/K, so that the set exports probabilities; they follow their own Adam.
class KernelTargets final
{
public:
    KernelTargets() = default;
    KernelTargets(const torch::Tensor& labels, int classes, bool learn);

    bool learned() const { return m_logits.defined(); }
    /// Y_s, N×K; differentiable in the logits when learned.
    torch::Tensor targets() const;
    /// softmax(z), N×K without gradient; undefined for fixed targets.
    torch::Tensor probabilities() const;

    void zeroGrad();
    /// One Adam step of the logits at `lr` (nothing for fixed targets).
    void step(double lr);

    /// "label_logits" and the Adam moments as "label_adam_…"; empty for fixed targets.
    std::map<std::string, torch::Tensor> state() const;
    /// From a checkpoint's state (entries of other names are ignored; missing ones restart from zero).
    void restore(const std::map<std::string, torch::Tensor>& state);
    /// Whether a checkpoint entry is one of state()'s.
    static bool ownsStateEntry(const std::string& name);

private:
    int m_classes = 0;
    torch::Tensor m_fixed;
    torch::Tensor m_logits;
    std::unique_ptr<OpenAdam> m_optimizer;
};

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "methods/kerneltargets.h"

#include "methods/kernelridge.h"
#include "methods/learnedlabels.h"

namespace distillery::core {
namespace {

    constexpr const char* kPrefix = "label_";
    constexpr double kBeta1 = 0.9;
    constexpr double kBeta2 = 0.999;

} // namespace

KernelTargets::KernelTargets(const torch::Tensor& labels, int classes, bool learn)
    : m_classes(classes)
{
    if (learn) {
        m_logits = initialLabelLogits(labels, classes).requires_grad_(true);
        m_optimizer = std::make_unique<OpenAdam>(std::vector<torch::Tensor>{m_logits}, kBeta1, kBeta2);
    } else {
        m_fixed = centredOneHot(labels, classes);
    }
}

torch::Tensor KernelTargets::targets() const
{
    return learned() ? torch::softmax(m_logits, 1) - 1.0 / m_classes : m_fixed;
}

torch::Tensor KernelTargets::probabilities() const
{
    return learned() ? torch::softmax(m_logits.detach(), 1) : torch::Tensor();
}

void KernelTargets::zeroGrad()
{
    if (m_optimizer)
        m_optimizer->zeroGrad();
}

void KernelTargets::step(double lr)
{
    if (m_optimizer)
        m_optimizer->step(lr);
}

std::map<std::string, torch::Tensor> KernelTargets::state() const
{
    std::map<std::string, torch::Tensor> state;
    if (!learned())
        return state;
    state[std::string(kPrefix) + "logits"] = m_logits.detach();
    for (const auto& [name, tensor] : m_optimizer->state())
        state[kPrefix + name] = tensor;
    return state;
}

void KernelTargets::restore(const std::map<std::string, torch::Tensor>& state)
{
    if (!learned())
        return;
    std::map<std::string, torch::Tensor> moments;
    const std::string prefix = kPrefix;
    for (const auto& [name, tensor] : state) {
        if (name.rfind(prefix, 0) != 0)
            continue;
        const std::string own = name.substr(prefix.size());
        if (own == "logits")
            restoreLabelLogits(m_logits, tensor);
        else
            moments[own] = tensor;
    }
    m_optimizer->restore(moments);
}

bool KernelTargets::ownsStateEntry(const std::string& name)
{
    return name.rfind(kPrefix, 0) == 0;
}

} // namespace distillery::core

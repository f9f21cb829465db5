// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "methods/openadam.h"

#include <distillery/error.h>

#include <cmath>

namespace distillery::core {

OpenAdam::OpenAdam(std::vector<torch::Tensor> params, double beta1, double beta2, double eps)
    : m_params(std::move(params))
    , m_first(m_params.size())
    , m_second(m_params.size())
    , m_beta1(beta1)
    , m_beta2(beta2)
    , m_eps(eps)
{
}

void OpenAdam::zeroGrad()
{
    for (auto& p : m_params)
        p.mutable_grad() = torch::Tensor();
}

void OpenAdam::step(double lr)
{
    torch::NoGradGuard noGrad;
    ++m_steps;
    const double correction1 = 1 - std::pow(m_beta1, static_cast<double>(m_steps));
    const double correction2 = 1 - std::pow(m_beta2, static_cast<double>(m_steps));
    for (std::size_t i = 0; i < m_params.size(); ++i) {
        const torch::Tensor& grad = m_params[i].grad();
        if (!grad.defined())
            continue;
        if (!m_first[i].defined()) {
            m_first[i] = torch::zeros_like(m_params[i]);
            m_second[i] = torch::zeros_like(m_params[i]);
        }
        m_first[i].mul_(m_beta1).add_(grad, 1 - m_beta1);
        m_second[i].mul_(m_beta2).addcmul_(grad, grad, 1 - m_beta2);
        const torch::Tensor denominator = (m_second[i] / correction2).sqrt_().add_(m_eps);
        m_params[i].addcdiv_(m_first[i], denominator, -lr / correction1);
    }
}

std::map<std::string, torch::Tensor> OpenAdam::state() const
{
    std::map<std::string, torch::Tensor> out;
    if (m_steps == 0)
        return out;
    out["adam_step"] = torch::full({1}, static_cast<double>(m_steps), torch::kFloat64);
    for (std::size_t i = 0; i < m_params.size(); ++i) {
        if (!m_first[i].defined())
            continue;
        out["adam_m_" + std::to_string(i)] = m_first[i];
        out["adam_v_" + std::to_string(i)] = m_second[i];
    }
    return out;
}

void OpenAdam::restore(const std::map<std::string, torch::Tensor>& state)
{
    const auto steps = state.find("adam_step");
    if (steps == state.end())
        return; // no state: the moments restart from zero
    m_steps = static_cast<std::int64_t>(std::llround(steps->second.to(torch::kFloat64).item<double>()));
    for (std::size_t i = 0; i < m_params.size(); ++i) {
        const auto m = state.find("adam_m_" + std::to_string(i));
        const auto v = state.find("adam_v_" + std::to_string(i));
        if (m == state.end() || v == state.end())
            continue;
        if (!m->second.sizes().equals(m_params[i].sizes()) || !v->second.sizes().equals(m_params[i].sizes()))
            throw Error("checkpoint: the optimizer state does not match the synthetic set's shape");
        m_first[i] = m->second.to(m_params[i].device(), m_params[i].scalar_type()).clone();
        m_second[i] = v->second.to(m_params[i].device(), m_params[i].scalar_type()).clone();
    }
}

} // namespace distillery::core

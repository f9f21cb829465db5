// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <torch/torch.h>

#include <map>
#include <string>
#include <vector>

namespace distillery::core {

/// Adam (torch::optim::Adam's arithmetic, no weight decay) over a few leaf tensors, with its moments in the open so
/// a checkpoint keeps them and a resumed run continues exactly (ImageSgd's counterpart, for DD).
class OpenAdam final
{
public:
    OpenAdam(std::vector<torch::Tensor> params, double beta1, double beta2, double eps = 1e-8);

    void zeroGrad();
    /// One update at learning rate `lr` from the parameters' gradients, in place.
    void step(double lr);

    /// "adam_step", "adam_m_<i>", "adam_v_<i>" (empty before the first step), and back.
    std::map<std::string, torch::Tensor> state() const;
    void restore(const std::map<std::string, torch::Tensor>& state);

private:
    std::vector<torch::Tensor> m_params;
    std::vector<torch::Tensor> m_first;
    std::vector<torch::Tensor> m_second;
    double m_beta1;
    double m_beta2;
    double m_eps;
    std::int64_t m_steps = 0;
};

} // namespace distillery::core

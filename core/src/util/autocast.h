// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <torch/torch.h>

namespace distillery::core {

/// Runs the enclosed torch work under bfloat16 autocast on `device` (convolutions and matrix products in bf16,
/// numerically sensitive ops such as normalisation as LibTorch's autocast policy says), and puts the previous
/// autocast state back when it goes out of scope. Nothing happens when `enabled` is false. Kept in its own file
/// because LibTorch 2.4 renamed the autocast calls.
class Bf16Autocast final
{
public:
    Bf16Autocast(const torch::Device& device, bool enabled);
    ~Bf16Autocast();
    Bf16Autocast(const Bf16Autocast&) = delete;
    Bf16Autocast& operator=(const Bf16Autocast&) = delete;

private:
    bool m_enabled;
    torch::DeviceType m_type;
    bool m_wasEnabled = false;
    torch::ScalarType m_previousType = torch::kFloat;
};

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "formats/tensorarray.h"

#include <distillery/error.h>

#include <cstring>

namespace distillery::core {

NpyArray toFloatArray(const torch::Tensor& tensor, torch::ScalarType type)
{
    if (type != torch::kFloat && type != torch::kHalf)
        throw Error("toFloatArray: only float32 and float16 are stored");
    const torch::Tensor t = tensor.detach().to(torch::kCPU, type).contiguous();
    NpyArray a;
    a.descr = type == torch::kHalf ? "<f2" : "<f4";
    a.shape = t.sizes().vec();
    a.bytes.resize(static_cast<std::size_t>(t.numel() * t.element_size()));
    if (!a.bytes.empty())
        std::memcpy(a.bytes.data(), t.data_ptr(), a.bytes.size());
    return a;
}

torch::Tensor fromFloatArray(const NpyArray& a)
{
    const bool half = a.descr == "<f2";
    if (!half && a.descr != "<f4")
        throw Error("an array of " + a.descr + " where float32 or float16 was expected");
    torch::Tensor t = torch::empty(a.shape, half ? torch::kHalf : torch::kFloat);
    if (a.bytes.size() != static_cast<std::size_t>(t.numel() * t.element_size()))
        throw Error("an array whose bytes do not match its shape");
    if (!a.bytes.empty())
        std::memcpy(t.data_ptr(), a.bytes.data(), a.bytes.size());
    return half ? t.to(torch::kFloat) : t;
}

} // namespace distillery::core

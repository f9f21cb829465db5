// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// Plain C++ vectors to and from NpyArray (the arrays of both .npz and .safetensors files).
#pragma once

#include <distillery/error.h>
#include <distillery/npz.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

namespace distillery::core {

/// An array of `values` with numpy dtype `descr` (which must match T: "<f4" float, "<i8" int64, "|u1" uint8, …).
template<typename T>
NpyArray makeArray(const std::string& descr, std::vector<std::int64_t> shape, const std::vector<T>& values)
{
    NpyArray a;
    a.descr = descr;
    a.shape = std::move(shape);
    a.bytes.resize(values.size() * sizeof(T));
    if (!values.empty()) // little-endian hosts only, like every platform LibTorch ships for
        std::memcpy(a.bytes.data(), values.data(), a.bytes.size());
    return a;
}

/// The values of `a` converted to T, from any of <f4 <f8 <i8 <i4 |u1. Throws Error naming `where` for another
/// dtype, a byte size that does not match the shape, or a float that is no whole number where T is an integer.
template<typename T>
std::vector<T> valuesOf(const NpyArray& a, const std::string& where)
{
    std::vector<T> out(static_cast<std::size_t>(a.elementCount()));
    auto convert = [&](auto tag) {
        using S = decltype(tag);
        if (a.bytes.size() != out.size() * sizeof(S))
            throw Error(where + ": byte size does not match the shape");
        for (std::size_t i = 0; i < out.size(); ++i) {
            S v;
            std::memcpy(&v, a.bytes.data() + i * sizeof(S), sizeof(S));
            // A float array may hold integer data (labels, indices), but only whole numbers within range:
            // converting NaN, 1e30 or 2.5 to an integer would be undefined or silently wrong.
            if constexpr (std::is_integral_v<T> && std::is_floating_point_v<S>) {
                if (!(std::isfinite(v) && v == std::trunc(v) && v >= -9.0e15 && v <= 9.0e15))
                    throw Error(where + ": value " + std::to_string(v) + " at position " + std::to_string(i)
                        + " is not a whole number");
            }
            out[i] = static_cast<T>(v);
        }
    };
    if (a.descr == "<f4")
        convert(float{});
    else if (a.descr == "<f8")
        convert(double{});
    else if (a.descr == "<i8")
        convert(std::int64_t{});
    else if (a.descr == "<i4")
        convert(std::int32_t{});
    else if (a.descr == "|u1")
        convert(std::uint8_t{});
    else
        throw Error(where + ": unsupported dtype " + a.descr);
    return out;
}

} // namespace distillery::core

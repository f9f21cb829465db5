// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// Numbers read from JSON files (config.json, metrics.jsonl) with the same strictness as the command line: a whole
// number setting takes only whole numbers that fit its type, never a silently truncated 1.5 or a wrapped 2^40.
#pragma once

#include <distillery/error.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <type_traits>

namespace distillery::core {

/// `value` as T, or an Error "<name> has the wrong type (…)" or "<name>: must be …, got <value>". Integers: a JSON integer (or a float with no
/// fraction, as other tools write 10.0) inside T's range. Floating point: any finite JSON number.
template<typename T>
T jsonNumber(const nlohmann::json& value, const std::string& name)
{
    static_assert(std::is_arithmetic_v<T> && !std::is_same_v<T, bool>);
    if constexpr (std::is_integral_v<T>) {
        constexpr auto lo = std::numeric_limits<T>::min();
        constexpr auto hi = std::numeric_limits<T>::max();
        const auto refuse = [&] {
            return Error(name + ": must be a whole number in " + std::to_string(lo) + "…" + std::to_string(hi) + ", got "
                + value.dump());
        };
        if (value.is_number_unsigned()) {
            const auto v = value.get<std::uint64_t>();
            if (v > static_cast<std::uint64_t>(hi))
                throw refuse();
            return static_cast<T>(v);
        }
        if (value.is_number_integer()) {
            const auto v = value.get<std::int64_t>();
            if ((std::is_unsigned_v<T> && v < 0) || (std::is_signed_v<T> && (v < static_cast<std::int64_t>(lo)))
                || (v > 0 && static_cast<std::uint64_t>(v) > static_cast<std::uint64_t>(hi)))
                throw refuse();
            return static_cast<T>(v);
        }
        if (!value.is_number())
            throw Error(name + " has the wrong type (expected a whole number, got " + value.dump() + ")");
        {
            const double v = value.get<double>();
            // hi + 1 is a power of two, exact in a double; hi itself may round up to it.
            if (!std::isfinite(v) || v != std::floor(v) || !(v >= static_cast<double>(lo) && v < static_cast<double>(hi) + 1.0))
                throw refuse();
            return static_cast<T>(v);
        }
    } else {
        if (!value.is_number())
            throw Error(name + " has the wrong type (expected a number, got " + value.dump() + ")");
        if (!std::isfinite(value.get<double>()))
            throw Error(name + ": must be a finite number, got " + value.dump());
        return static_cast<T>(value.get<double>());
    }
}

} // namespace distillery::core

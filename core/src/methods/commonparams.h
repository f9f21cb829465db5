// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/parameters.h>

#include <functional>
#include <string>

namespace distillery::core {

/// Declarations several methods share (the same key, flag and meaning everywhere); each method passes its own
/// defaults. A method with a parameter of its own declares it in its own file.
namespace params {

    using IntDefault = std::function<std::int64_t(const ParamContext&)>;
    using RealDefault = std::function<double(const ParamContext&)>;
    using TextDefault = std::function<std::string(const ParamContext&)>;

    /// "paper" → the paper's value, otherwise the classroom's.
    template<typename T>
    std::function<T(const ParamContext&)> byPreset(T paper, T classroom)
    {
        return [paper, classroom](const ParamContext& c) { return c.preset == "paper" ? paper : classroom; };
    }

    ParamSpec init(TextDefault defaultValue);
    ParamSpec lrImage(RealDefault defaultValue);
    ParamSpec lrNet(RealDefault defaultValue);
    ParamSpec realBatch(IntDefault defaultValue);
    ParamSpec outerLoops(IntDefault defaultValue);
    ParamSpec innerLoops(IntDefault defaultValue);
    /// Augmentation while distilling: the data set's DSA strategy, or none (DC).
    ParamSpec augment(bool dataStrategyByDefault);
    ParamSpec features(TextDefault defaultValue);
    ParamSpec featureEpochs(IntDefault defaultValue);
    /// A method's own parameter, declared in its own file: a whole number in [min, max] (with its unit), a number in
    /// [min, max], or one of `choices`.
    ParamSpec ownInteger(const std::string& key, const std::string& flag, const std::string& label, const std::string& help,
        const std::string& unit, double min, double max, IntDefault defaultValue);
    ParamSpec ownReal(const std::string& key, const std::string& flag, const std::string& label, const std::string& help,
        double min, double max, RealDefault defaultValue);
    ParamSpec ownChoice(const std::string& key, const std::string& flag, const std::string& label, const std::string& help,
        std::vector<ParamChoice> choices, TextDefault defaultValue);

    /// Hard labels, or soft labels learned with the images (docs/methods.md §8).
    ParamSpec labels();
    ParamSpec lrLabel(RealDefault defaultValue);

} // namespace params

} // namespace distillery::core

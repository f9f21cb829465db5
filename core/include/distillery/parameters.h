// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace distillery::core {

/// What a method parameter holds (docs/adding-a-method.md).
enum class ParamKind
{
    Integer, ///< a whole number in [min, max]
    Real, ///< a finite number in [min, max]
    Choice, ///< one of `choices`
    Augmentation, ///< "none" or a DSA strategy (groups joined by '_'); `choices` are the usual ones
};

/// One value: Integer → std::int64_t, Real → double, Choice and Augmentation → std::string.
using ParamValue = std::variant<std::int64_t, double, std::string>;

struct ParamChoice
{
    std::string value; ///< what config.json and the CLI hold
    std::string label; ///< what the window shows
};

/// What a parameter's default may depend on. The data set enters through its augmentation strategy alone.
struct ParamContext
{
    std::string preset = "classroom";
    int ipc = 10;
    std::string dsaStrategy = "color_crop_cutout_flip_scale_rotate"; ///< the data set's, flips decided
};

/// The one declaration of a method parameter. config.json, validation, the CLI options, the window's rows,
/// `distillery-cli info --json` and docs/parameters.md are all generated from it.
struct ParamSpec
{
    std::string key; ///< config.json key under "params", e.g. "lrImage"
    std::string flag; ///< CLI option without its dashes, e.g. "lr-image"
    std::vector<std::string> flagAliases; ///< older option names that still work, e.g. "lr-img"
    std::string label; ///< the window's row, e.g. "Image learning rate"
    std::string help; ///< one line: tooltip, CLI help, docs
    ParamKind kind = ParamKind::Real;
    std::string unit; ///< e.g. "epochs"; empty for none
    double min = 0; ///< Integer and Real: the allowed range, inclusive
    double max = 0;
    std::vector<ParamChoice> choices; ///< Choice: the allowed values; Augmentation: the usual ones
    /// A resumed run may take a new value (the trajectory stays that of the same run). Most parameters may not.
    bool resumable = false;
    /// The value used when the request leaves the parameter on auto: the paper's for "paper", a laptop's for
    /// "classroom", per IPC where the paper's table differs.
    std::function<ParamValue(const ParamContext&)> defaultValue;
    /// Shown in the docs instead of the default's values when the default comes from the data set.
    std::string defaultNote;
};

/// The values of one method's parameters. In a request only the ones the user set are present (a missing key is
/// "auto"); in a resolved config every declared key is.
class ParamValues
{
public:
    bool has(const std::string& key) const;
    bool empty() const { return m_values.empty(); }
    void set(const std::string& key, ParamValue value);
    void unset(const std::string& key);
    const std::map<std::string, ParamValue>& all() const { return m_values; }

    /// Typed reads for a method; Error naming the parameter when it is missing or of another kind.
    std::int64_t integer(const std::string& key) const;
    int integer32(const std::string& key) const;
    double real(const std::string& key) const;
    const std::string& text(const std::string& key) const;

    bool operator==(const ParamValues& other) const { return m_values == other.m_values; }
    bool operator!=(const ParamValues& other) const { return !(*this == other); }

private:
    const ParamValue& at(const std::string& key) const;

    std::map<std::string, ParamValue> m_values;
};

/// The text form of a value, as the CLI takes it and the window shows it ("0.1", "256", "noise").
std::string paramValueText(const ParamValue& value);

/// Parses the text form for `spec`. Throws Error naming `what` (a flag or a setting) when the text is not a
/// number, not finite, not whole, out of range or not an allowed choice.
ParamValue parseParamValue(const ParamSpec& spec, const std::string& text, const std::string& what);

/// `value` in the kind `spec` declares (a whole Real written as 1 becomes 1.0), checked against the range or
/// choices. Throws Error "params.<key>: …" naming the allowed range or values.
ParamValue checkedParamValue(const ParamSpec& spec, const ParamValue& value);

/// The declaration of `key` among `specs`, or nullptr.
const ParamSpec* findParam(const std::vector<ParamSpec>& specs, const std::string& key);

/// "whole number", "number", "choice", "augmentation".
std::string paramKindName(ParamKind kind);

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// Method parameter values, their text form and their checks against a declaration (docs/adding-a-method.md).
// Plain C++: config.json's writer, the window and the CLI use all of it.
#include <distillery/augment.h>
#include <distillery/error.h>
#include <distillery/parameters.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <sstream>

namespace distillery::core {
namespace {

    std::string numberText(double v)
    {
        // The shortest text that reads back as the same double, so config.json and the window show "0.1".
        for (int precision = 6; precision <= 17; ++precision) {
            std::ostringstream out;
            out.precision(precision);
            out << v;
            if (std::strtod(out.str().c_str(), nullptr) == v)
                return out.str();
        }
        return std::to_string(v);
    }

    std::string rangeText(const ParamSpec& spec)
    {
        return numberText(spec.min) + " … " + numberText(spec.max);
    }

    std::string choicesText(const ParamSpec& spec)
    {
        std::string list;
        for (const auto& c : spec.choices)
            list += (list.empty() ? "" : ", ") + c.value;
        return list;
    }

    std::string kindName(ParamKind kind)
    {
        switch (kind) {
        case ParamKind::Integer:
            return "a whole number";
        case ParamKind::Real:
            return "a number";
        case ParamKind::Choice:
            return "one of the listed words";
        case ParamKind::Augmentation:
            return "\"none\" or a DSA strategy";
        }
        return "a value";
    }

} // namespace

bool ParamValues::has(const std::string& key) const
{
    return m_values.count(key) > 0;
}

void ParamValues::set(const std::string& key, ParamValue value)
{
    m_values[key] = std::move(value);
}

void ParamValues::unset(const std::string& key)
{
    m_values.erase(key);
}

const ParamValue& ParamValues::at(const std::string& key) const
{
    const auto it = m_values.find(key);
    if (it == m_values.end())
        throw Error("params." + key + ": not set (the config was not resolved)");
    return it->second;
}

std::int64_t ParamValues::integer(const std::string& key) const
{
    const auto* v = std::get_if<std::int64_t>(&at(key));
    if (!v)
        throw Error("params." + key + ": not a whole number");
    return *v;
}

int ParamValues::integer32(const std::string& key) const
{
    const std::int64_t v = integer(key);
    if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max())
        throw Error("params." + key + ": " + std::to_string(v) + " is too large");
    return static_cast<int>(v);
}

double ParamValues::real(const std::string& key) const
{
    const ParamValue& value = at(key);
    if (const auto* d = std::get_if<double>(&value))
        return *d;
    throw Error("params." + key + ": not a number");
}

const std::string& ParamValues::text(const std::string& key) const
{
    const auto* s = std::get_if<std::string>(&at(key));
    if (!s)
        throw Error("params." + key + ": not a word");
    return *s;
}

std::string paramValueText(const ParamValue& value)
{
    if (const auto* i = std::get_if<std::int64_t>(&value))
        return std::to_string(*i);
    if (const auto* d = std::get_if<double>(&value))
        return numberText(*d);
    return std::get<std::string>(value);
}

ParamValue parseParamValue(const ParamSpec& spec, const std::string& text, const std::string& what)
{
    switch (spec.kind) {
    case ParamKind::Integer: {
        errno = 0;
        char* end = nullptr;
        const long long v = std::strtoll(text.c_str(), &end, 10);
        if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE)
            throw Error(what + ": \"" + text + "\" is not a whole number (" + rangeText(spec) + ")");
        return checkedParamValue(spec, static_cast<std::int64_t>(v));
    }
    case ParamKind::Real: {
        errno = 0;
        char* end = nullptr;
        const double v = std::strtod(text.c_str(), &end);
        if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE)
            throw Error(what + ": \"" + text + "\" is not a number (" + rangeText(spec) + ")");
        try {
            return checkedParamValue(spec, v);
        } catch (const Error& e) {
            throw Error(what + ": " + text + " is outside " + rangeText(spec) + " or not finite");
        }
    }
    case ParamKind::Choice:
    case ParamKind::Augmentation:
        try {
            return checkedParamValue(spec, text);
        } catch (const Error& e) {
            const std::string message = e.what();
            throw Error(what + message.substr(message.find(':')));
        }
    }
    throw Error(what + ": unknown kind of parameter");
}

ParamValue checkedParamValue(const ParamSpec& spec, const ParamValue& value)
{
    const std::string name = "params." + spec.key;
    switch (spec.kind) {
    case ParamKind::Integer: {
        const auto* v = std::get_if<std::int64_t>(&value);
        if (!v)
            throw Error(name + ": must be " + kindName(spec.kind) + " in " + rangeText(spec) + ", got "
                + paramValueText(value));
        if (static_cast<double>(*v) < spec.min || static_cast<double>(*v) > spec.max)
            throw Error(name + ": " + std::to_string(*v) + " is outside " + rangeText(spec) + " (" + spec.help + ")");
        return *v;
    }
    case ParamKind::Real: {
        double v = 0;
        if (const auto* d = std::get_if<double>(&value))
            v = *d;
        else if (const auto* i = std::get_if<std::int64_t>(&value))
            v = static_cast<double>(*i); // JSON writes 1.0 as 1
        else
            throw Error(name + ": must be " + kindName(spec.kind) + " in " + rangeText(spec) + ", got \""
                + paramValueText(value) + "\"");
        if (!std::isfinite(v) || v < spec.min || v > spec.max)
            throw Error(name + ": " + numberText(v) + " is outside " + rangeText(spec) + " (" + spec.help + ")");
        return v;
    }
    case ParamKind::Choice: {
        const auto* s = std::get_if<std::string>(&value);
        if (s)
            for (const auto& c : spec.choices)
                if (c.value == *s)
                    return *s;
        throw Error(name + ": \"" + paramValueText(value) + "\" is not one of " + choicesText(spec));
    }
    case ParamKind::Augmentation: {
        const auto* s = std::get_if<std::string>(&value);
        if (!s)
            throw Error(name + ": must be " + kindName(spec.kind) + ", got " + paramValueText(value));
        if (*s != "none") {
            try {
                checkDsaStrategy(*s);
            } catch (const Error& e) {
                throw Error(name + ": " + e.what());
            }
        }
        return *s;
    }
    }
    throw Error(name + ": unknown kind of parameter");
}

const ParamSpec* findParam(const std::vector<ParamSpec>& specs, const std::string& key)
{
    for (const auto& s : specs)
        if (s.key == key)
            return &s;
    return nullptr;
}

std::string paramKindName(ParamKind kind)
{
    switch (kind) {
    case ParamKind::Integer:
        return "whole number";
    case ParamKind::Real:
        return "number";
    case ParamKind::Choice:
        return "choice";
    case ParamKind::Augmentation:
        return "augmentation";
    }
    return "";
}

} // namespace distillery::core

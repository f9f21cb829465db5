// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/parameters.h>

#include <string>
#include <vector>

namespace distillery::core {

struct MethodInfo
{
    std::string name; ///< registry key, e.g. "herding"
    std::string title; ///< e.g. "Herding (coreset)"
    std::string summary; ///< one plain sentence: what it keeps or matches
    bool selectsRealImages = false; ///< coresets: the synthetic set is made of real training images
    /// The window's explanation (rich text): what is matched, its formula, what to watch for in a lesson.
    std::string explanation;
};

/// Every method the registry knows, in display order.
std::vector<MethodInfo> availableMethods();

/// Throws Error listing the known names when `name` is unknown.
MethodInfo methodInfo(const std::string& name);

/// The parameter declarations of `method` (Error listing the known methods when unknown).
std::vector<ParamSpec> methodParameters(const std::string& method);

/// Every key of `values` declared by `method`, of the declared kind and in range. Throws Error naming the first
/// that is not (an undeclared key lists the method's parameters).
void validateParams(const std::string& method, const ParamValues& values);

/// `request` with every declared key it leaves on auto filled in with its default for `context`.
ParamValues resolveParams(const std::string& method, const ParamValues& request, const ParamContext& context);

/// A parameter's default at one preset and IPC (Fashion-MNIST's augmentation strategy for data-dependent ones).
struct ParamDefault
{
    std::string preset;
    int ipc = 0;
    std::string value;
};

/// The defaults of `spec` for classroom and paper at IPC 1, 10 and 50, as `info --json` and the docs list them.
std::vector<ParamDefault> paramDefaults(const ParamSpec& spec);

/// docs/parameters.md: every method's parameters as Markdown tables, generated from the declarations. A test
/// keeps the file equal to this text; `distillery-cli info --parameters-markdown` prints it.
std::string parameterReferenceMarkdown();


} // namespace distillery::core

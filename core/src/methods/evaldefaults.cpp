// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "methods/evaldefaults.h"

namespace distillery::core {

void resolveMethodEvalProtocol(EvalConfig& eval, const std::string& defaultAugment, const DatasetInfo& data)
{
    resolveEvalProtocol(eval, defaultAugment);
    if (eval.augment == "dsa" && eval.dsaStrategy.empty())
        eval.dsaStrategy = data.dsaStrategy;
}

} // namespace distillery::core

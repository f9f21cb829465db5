// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// Request → resolved (docs/architecture.md, "Request and resolved").
#include "methods/method.h"

#include <distillery/session.h>

namespace distillery::core {

RunConfig resolveConfig(const RunConfig& request, const DatasetInfo& data)
{
    validate(request);
    RunConfig resolved = request;
    resolved.params = resolveParams(request.method, request.params, {request.preset, request.ipc, data.dsaStrategy});
    createMethod(request.method)->resolveRunDefaults(resolved, data);
    validate(resolved);
    return resolved;
}

} // namespace distillery::core

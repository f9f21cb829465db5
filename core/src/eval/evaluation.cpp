// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// The torch-free face of the evaluation protocol (distillery/evaluation.h).
#include "eval/protocol.h"
#include "io/synthetictensors.h"
#include "util/torchutil.h"

#include <distillery/device.h>
#include <distillery/error.h>
#include <distillery/evaluation.h>

namespace distillery::core {
namespace {

    /// The request's protocol with "method default" settings resolved (a paper-preset config leaves them open).
    EvalConfig protocolOf(const EvalRequest& request)
    {
        EvalConfig eval = request.eval;
        resolveEvalProtocol(eval);
        return eval;
    }

    std::shared_ptr<Dataset> prepare(const EvalRequest& request)
    {
        setThreadCount(request.threads);
        return loadDataset(request.data, toTorchDevice(resolveDevice(request.device)));
    }

} // namespace

EvalResult evaluateSyntheticSet(
    const SyntheticSet& set, const EvalRequest& request, const EvalProgressFn& progress, const RunControl* control)
{
    checkConsistent(set);
    const auto data = prepare(request);
    return translateErrors("evaluation", [&] {
        checkFitsDataset(set, *data);
        const SyntheticTensors tensors = toTensors(set, data->device());
        return runProtocol({tensors.images, tensors.trainingLabels()}, *data, request.model, protocolOf(request), request.seed,
            "synthetic", progress, control);
    });
}

EvalResult evaluateFullData(const EvalRequest& request, const EvalProgressFn& progress, const RunControl* control)
{
    const auto data = prepare(request);
    return translateErrors("evaluation", [&] {
        return runProtocol({data->trainImages(), data->trainLabels()}, *data, request.model, protocolOf(request), request.seed,
            "full data", progress, control);
    });
}

EvalResult evaluateRandomSubset(int ipc, const EvalRequest& request, const EvalProgressFn& progress,
    const RunControl* control)
{
    const auto data = prepare(request);
    checkIpcFits(data->info(), ipc);
    return translateErrors("evaluation", [&] {
        torch::manual_seed(request.seed);
        std::vector<torch::Tensor> picked;
        for (int c = 0; c < data->numClasses(); ++c)
            picked.push_back(data->sampleClassIndices(c, ipc));
        const torch::Tensor index = torch::cat(picked);
        return runProtocol({data->trainImages().index_select(0, index), data->trainLabels().index_select(0, index)}, *data,
            request.model, protocolOf(request), request.seed, "random real", progress, control);
    });
}

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// The torch-free face of the evaluation protocol (distillery/evaluation.h).
#include "eval/protocol.h"
#include "data/synthetictensors.h"
#include "util/torchutil.h"

#include <distillery/device.h>
#include <distillery/error.h>
#include <distillery/evaluation.h>
#include <distillery/syntheticio.h>

namespace distillery::core {

struct Evaluator::Impl
{
    std::shared_ptr<Dataset> data;
    int threads = 0;
};

Evaluator::Evaluator(const DataConfig& data, const std::string& device, int threads)
    : d(std::make_unique<Impl>())
{
    setThreadCount(threads);
    d->threads = threads;
    d->data = loadDataset(data, toTorchDevice(resolveDevice(device)));
}

Evaluator::~Evaluator() = default;

EvalResult Evaluator::evaluate(const SyntheticSet& set, const ModelConfig& model, const EvalConfig& eval,
    std::uint64_t seed, const EvalProgressFn& progress, const RunControl* control)
{
    checkConsistent(set);
    setThreadCount(d->threads); // the calling thread may be new
    return translateErrors("evaluation", [&] {
        checkFitsDataset(set, *d->data);
        EvalConfig protocol = eval;
        resolveEvalProtocol(protocol);
        const SyntheticTensors tensors = toTensors(set, d->data->device());
        return runProtocol({tensors.images, tensors.trainingLabels(), tensors.learnedLr}, *d->data, model, protocol, seed, "synthetic",
            progress, control);
    });
}

EvalResult Evaluator::randomSubset(int ipc, const ModelConfig& model, const EvalConfig& eval, std::uint64_t seed,
    const EvalProgressFn& progress, const RunControl* control)
{
    checkIpcFits(d->data->info(), ipc);
    setThreadCount(d->threads);
    return translateErrors("evaluation", [&] {
        EvalConfig protocol = eval;
        resolveEvalProtocol(protocol);
        torch::manual_seed(seed);
        const Dataset& data = *d->data;
        const torch::Tensor index = data.sampleAllClasses(ipc, Dataset::Pool::Whole); // a yardstick: never the selection
        return runProtocol({data.trainImages().index_select(0, index), data.trainLabels().index_select(0, index)}, data,
            model, protocol, seed, "random real", progress, control);
    });
}

EvalResult Evaluator::fullData(const ModelConfig& model, const EvalConfig& eval, std::uint64_t seed,
    const EvalProgressFn& progress, const RunControl* control)
{
    setThreadCount(d->threads);
    return translateErrors("evaluation", [&] {
        EvalConfig protocol = eval;
        resolveEvalProtocol(protocol);
        return runProtocol({d->data->trainImages(), d->data->trainLabels()}, *d->data, model, protocol, seed,
            "full data", progress, control);
    });
}

EvalResult evaluateSyntheticSet(
    const SyntheticSet& set, const EvalRequest& request, const EvalProgressFn& progress, const RunControl* control)
{
    checkConsistent(set);
    return Evaluator(request.data, request.device, request.threads)
        .evaluate(set, request.model, request.eval, request.seed, progress, control);
}

EvalResult evaluateFullData(const EvalRequest& request, const EvalProgressFn& progress, const RunControl* control)
{
    return Evaluator(request.data, request.device, request.threads)
        .fullData(request.model, request.eval, request.seed, progress, control);
}

EvalResult evaluateRandomSubset(int ipc, const EvalRequest& request, const EvalProgressFn& progress,
    const RunControl* control)
{
    return Evaluator(request.data, request.device, request.threads)
        .randomSubset(ipc, request.model, request.eval, request.seed, progress, control);
}

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/config.h>
#include <distillery/evalresult.h>
#include <distillery/syntheticset.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace distillery::core {

class RunControl;

struct EvalProgress
{
    int model = 0; ///< 0-based index of the model being trained
    int models = 0;
    int epoch = 0; ///< passes done for this model
    int epochs = 0; ///< passes per model (EvalConfig::epochs + 1)
};
using EvalProgressFn = std::function<void(const EvalProgress&)>;

/// Which real data, network and protocol an evaluation uses.
struct EvalRequest
{
    DataConfig data;
    ModelConfig model;
    EvalConfig eval;
    std::string device = "auto";
    std::uint64_t seed = 0; ///< model i is initialised from seed + i
    int threads = 0;
};

/// Trains `eval.models` fresh networks on the set only and tests each once on the real test split
/// (docs/methods.md §1.4: no best-over-time). Throws Error when the set does not fit the data set, Cancelled when
/// `control` asks to stop.
EvalResult evaluateSyntheticSet(const SyntheticSet& set, const EvalRequest& request, const EvalProgressFn& progress = {},
    const RunControl* control = nullptr);

/// Baseline: the same protocol on the whole training split.
EvalResult evaluateFullData(const EvalRequest& request, const EvalProgressFn& progress = {},
    const RunControl* control = nullptr);

/// Baseline: a random real subset with `ipc` images per class (drawn from `request.seed`), same protocol.
EvalResult evaluateRandomSubset(int ipc, const EvalRequest& request, const EvalProgressFn& progress = {},
    const RunControl* control = nullptr);

/// Keeps one data set loaded for repeated evaluations (a viewer's quick evaluations and baselines), instead of
/// reading it again for every call. Use from one thread at a time.
class Evaluator final
{
public:
    /// Loads the data set onto the device; throws Error naming the source.
    Evaluator(const DataConfig& data, const std::string& device, int threads = 0);
    ~Evaluator();
    Evaluator(const Evaluator&) = delete;
    Evaluator& operator=(const Evaluator&) = delete;

    EvalResult evaluate(const SyntheticSet& set, const ModelConfig& model, const EvalConfig& eval, std::uint64_t seed,
        const EvalProgressFn& progress = {}, const RunControl* control = nullptr);
    EvalResult randomSubset(int ipc, const ModelConfig& model, const EvalConfig& eval, std::uint64_t seed,
        const EvalProgressFn& progress = {}, const RunControl* control = nullptr);
    EvalResult fullData(const ModelConfig& model, const EvalConfig& eval, std::uint64_t seed,
        const EvalProgressFn& progress = {}, const RunControl* control = nullptr);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace distillery::core

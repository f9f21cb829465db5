// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "data/dataset.h"
#include "data/synthetictensors.h"
#include "nn/network.h"

#include <distillery/config.h>
#include <distillery/error.h>
#include <distillery/methods.h>
#include <distillery/parameters.h>
#include <distillery/stageprogress.h>

#include <torch/torch.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace distillery::core {

class RunControl;

/// What a method may use while it runs. The session owns all of it and outlives the method.
struct MethodContext
{
    const Dataset& data;
    const RunConfig& config; ///< resolved: every default filled in
    /// Long preparation inside init() (feature training, expert trajectories) checks stopRequested() at least
    /// every second of work and throws Cancelled; may be null (nothing can stop it then).
    const RunControl* control = nullptr;
    std::function<void(const std::string&)> log; ///< plain progress lines; may be empty
    StageProgressFn progress; ///< progress of that preparation; may be empty
};

/// What one step produced, still on the device: the session reads these to the host only every few steps,
/// so a CUDA step never waits for the host.
struct StepResult
{
    torch::Tensor loss; ///< 0-d
    torch::Tensor classTerms; ///< K values, or undefined when the method has none
    /// The learned step size(s) after this step (MTT: α, one value; DD: the schedule, one per unrolled step), or
    /// undefined. A copy: the method may change its own tensors before the session reads this.
    torch::Tensor stepSizes{};
    /// MTT: the student's normalised distance to the expert's target after each unrolled step (0…N), or undefined.
    torch::Tensor unrollCurve{};
};

/// How a set with a learned step-size schedule (DD) is meant to be used: its step batches replayed in order with
/// their learned step sizes, from a fresh initialisation or from the one fixed initialisation it was learned for.
struct LearnedSchedule
{
    int stepBatches = 1; ///< the set splits into this many step batches (stepbatches.h), cycled over the schedule
    bool fixedInit = false;
    std::uint64_t fixedInitSeed = 0; ///< with fixedInit: makeSeededNetwork's seed of that initialisation
};

/// How a kernel method's set answers by itself (RFAD, KIP report this): kernel ridge regression from the set, ridge
/// `ridge` (methods/kernelridge.h), on the features of `randomModels` fresh untrained networks (RFAD's kernel) — or,
/// when `featureNetworks` is not empty, on the features of each of those networks in turn with the plain dot-product
/// kernel (FRePo: its pool as it stands; they alias the method's own and are read between steps only).
struct KernelReadout
{
    int randomModels = 1;
    double ridge = 0;
    std::vector<Network> featureNetworks{};
};

/// The one interface of every distillation or selection method (docs/architecture.md, "The Method interface").
/// Randomness: the session seeds torch's generators before init() and before every step() from the run seed
/// and the iteration, so a run's result never depends on pauses or interleaved evaluations.
class Method
{
public:
    virtual ~Method() = default;

    virtual MethodInfo info() const = 0;

    /// What `StepResult::loss` measures, for axis labels ("embedding distance", …).
    virtual std::string lossName() const = 0;

    /// The method's own parameters, each declared once with its defaults (docs/adding-a-method.md). config.json,
    /// validation, CLI options, the window's rows and docs/parameters.md are generated from this list.
    virtual std::vector<ParamSpec> parameters() const = 0;

    /// Fills the run-level settings the method decides when left on auto: the iteration count for
    /// `config.preset`, and the evaluation protocol of the method's paper. `config.params` is already resolved
    /// (from parameters()); this never changes it.
    virtual void resolveRunDefaults(RunConfig& config, const DatasetInfo& data) const = 0;

    /// Builds the starting synthetic set (and any feature network) from the data. Long preparation reports
    /// through `context.progress` and stops when `context.control` asks (Cancelled).
    virtual void init(const MethodContext& context) = 0;

    /// One outer iteration. `iteration` is 1-based.
    virtual StepResult step(int iteration) = 0;

    /// The current synthetic set (tensors may alias the method's own; callers copy what they keep).
    virtual SyntheticTensors synthetic() const = 0;

    /// What a resumed run needs besides the synthetic images to continue exactly where it stopped (e.g. the
    /// images' momentum), by name; may alias the method's own tensors. Empty: nothing beyond the images.
    virtual std::map<std::string, torch::Tensor> resumeState() const { return {}; }

    /// For a method whose set carries a step-size schedule (learnedLr with one value per unrolled step): how to
    /// replay it. The session then evaluates the set that way too, beside the standard protocol.
    virtual std::optional<LearnedSchedule> learnedSchedule() const { return std::nullopt; }

    /// For a kernel method: how its set predicts by itself. The session then also evaluates it that way, beside
    /// the standard protocol.
    virtual std::optional<KernelReadout> kernelReadout() const { return std::nullopt; }

    /// After init(): continue from a checkpoint — the synthetic images and the tensors resumeState() gave then
    /// (a missing one restarts from zero). Throws Error for a method that cannot continue, or a mismatch.
    virtual void resume(const torch::Tensor& images, const std::map<std::string, torch::Tensor>& state)
    {
        (void)images;
        (void)state;
        throw Error("method " + info().name + " cannot continue from a checkpoint; start it again");
    }
};

using MethodFactory = std::function<std::unique_ptr<Method>()>;

/// The registry: methods by name, in display order.
std::unique_ptr<Method> createMethod(const std::string& name);

} // namespace distillery::core

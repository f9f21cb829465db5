// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/config.h>
#include <distillery/datasets.h>
#include <distillery/evalresult.h>
#include <distillery/evaluation.h>
#include <distillery/request.h>
#include <distillery/snapshot.h>
#include <distillery/stageprogress.h>
#include <distillery/stepstats.h>
#include <distillery/syntheticset.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace distillery::core {

class RunControl;

/// Called on the run's thread; keep them short (copy, queue, return).
struct SessionCallbacks
{
    std::function<void(const StepStats&)> onStep;
    std::function<void(const Snapshot&)> onSnapshot;
    std::function<void(const EvalResult&)> onEvaluated;
    std::function<void(const std::string&)> onMessage; ///< plain progress lines ("loading Fashion-MNIST …")
    std::function<void(const SyntheticSet&)> onSyntheticSet; ///< answers RunControl::requestSyntheticCopy()
    EvalProgressFn onEvalProgress;
    StageProgressFn onStageProgress; ///< long preparation before the first iteration (feature network, …)
};

struct RunResult
{
    std::string runDir; ///< empty when RunConfig::outDir is empty
    std::string device; ///< the device actually used
    int iterations = 0; ///< iterations done
    bool stopped = false; ///< ended by RunControl before the last iteration
    std::vector<EvalResult> evaluations; ///< monitoring and final evaluations, in order
};

/// One distillation run: config → data → method → loop → run folder (docs/architecture.md, "Data flow of one run").
/// Torch state lives behind the pimpl and is used only on the thread that calls prepare()/run().
class Session final
{
public:
    explicit Session(RunConfig config); ///< validates the config; throws Error naming the setting

    /// Continues the run in `runDir` from its checkpoint with `config` (normally that folder's config.json, see
    /// loadRunFolderConfig; the iteration count may be raised): the method is initialised as the run was, then
    /// takes the checkpoint's images and momentum, and steps on from the checkpoint's iteration with the same
    /// per-iteration seeds — a resumed run ends with the set an uninterrupted one would have made. Metrics logged
    /// after the checkpoint are dropped (those steps run again). prepare() throws Error naming the file when the
    /// checkpoint is missing, unreadable or from another run.
    Session(RunConfig config, std::string resumeDir);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    /// Loads the data, creates the method, resolves defaults and initialises the synthetic set. Called by run()
    /// when not called before; calling it first lets a viewer show the starting images. `control` can stop a
    /// long preparation (Cancelled; nothing is written beyond the run folder's config.json).
    void prepare(const SessionCallbacks& callbacks = {}, const RunControl* control = nullptr);

    /// Steps until the iterations are done or `control` stops the run, then writes the final files and runs
    /// the final evaluation. Blocks. Throws Error (the last good set is still written to the run folder).
    RunResult run(RunControl& control, const SessionCallbacks& callbacks = {});

    /// The config with every default resolved (valid after prepare()).
    const RunConfig& config() const;
    /// What the data set holds (valid after prepare()).
    const DatasetInfo& dataInfo() const;
    /// The current synthetic set (valid after prepare()).
    SyntheticSet synthetic() const;
    Snapshot snapshot() const;
    /// The run folder (created by prepare() when outDir is set).
    std::string runDir() const;

    /// The iteration the run starts from: 0, or the checkpoint's when resuming (valid after prepare()).
    int startIteration() const;

    /// For benchmarks (distillery-cli bench): iteration `iteration` of the prepared method, seeded as run() seeds
    /// it, its loss checked; nothing is recorded. The caller synchronises the device.
    void benchmarkStep(int iteration);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

/// The config.json of a run folder, for resuming it. Throws Error naming the folder.
RunConfig loadRunFolderConfig(const std::string& runDir);

/// The iteration a run folder's checkpoint holds (where a resumed run continues). Throws Error naming the folder
/// when there is no readable checkpoint.
int runFolderCheckpointIteration(const std::string& runDir);

/// The run did all its iterations but its final evaluation was cut off (a crash, a time limit around the process):
/// continuing it (Session with the folder, `distill --resume`) runs that evaluation without more iterations.
bool runFolderNeedsFinalEvaluation(const std::string& runDir);

/// What a run folder's metrics.jsonl recorded, in order: every step and every evaluation (of the synthetic set, and
/// the baselines the window measured beside it: "random real", "full data"). Lines cut short by a crash are skipped.
struct RunHistory
{
    std::vector<StepStats> steps;
    std::vector<EvalResult> evaluations;
};

/// Reads a run folder's metrics (with its config.json for the iteration count and the loss's name). Throws Error
/// naming the folder when it is not a run folder.
RunHistory loadRunHistory(const std::string& runDir);

/// Records an evaluation made outside the run (the window's Evaluate now, its baselines) in the run folder's
/// metrics.jsonl, as one line that cannot split a line the run itself is writing. Throws Error naming the folder
/// when it is not a run folder or the disk refuses the line.
void appendRunEvaluation(const std::string& runDir, const EvalResult& result);

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/metricslog.h"

#include <distillery/config.h>
#include <distillery/evalresult.h>
#include <distillery/session.h>
#include <distillery/stepstats.h>
#include <distillery/syntheticset.h>

#include <string>

namespace distillery::core {

/// Marks a run folder as written by this process (run.lock with the PID and a token), so a second process cannot
/// write the same folder at the same time; a lock left behind by a process that is gone (a crash) is taken over.
class FolderLock final
{
public:
    FolderLock() = default;
    /// Throws Error naming the folder when a live process holds it.
    explicit FolderLock(const std::string& folder);
    FolderLock(FolderLock&& other) noexcept;
    FolderLock& operator=(FolderLock&& other) noexcept;
    FolderLock(const FolderLock&) = delete;
    FolderLock& operator=(const FolderLock&) = delete;
    ~FolderLock(); ///< removes run.lock if it is still ours

private:
    void release() noexcept;

    std::string m_path;
    std::string m_token;
};

/// The files of one run (docs/architecture.md, "Data flow of one run"): config.json, metrics.jsonl (one JSON object per line),
/// checkpoint.safetensors, and at the end synthetic.safetensors, synthetic.npz and grid.png.
class RunFolder final
{
public:
    /// Creates `<outDir>/<date>-<time>-<method>-ipc<N>-<dataset>` (with a suffix if taken) and writes config.json.
    RunFolder(const RunConfig& config, const std::string& datasetName);

    /// Opens an existing run folder to continue it from iteration `keepThrough`: rewrites config.json (the
    /// iteration count may have grown) and keeps only the metrics.jsonl lines up to that iteration, since the
    /// steps logged after the checkpoint run again. Throws Error naming the folder.
    static RunFolder reopen(const std::string& path, const RunConfig& config, int keepThrough);

    /// The steps and evaluations metrics.jsonl holds (steps without totalIterations and lossName).
    static RunHistory readHistory(const std::string& path);

    /// The last step's elapsed seconds among the lines reopen() kept (0 for a new folder).
    double keptStepSeconds() const { return m_keptStepSeconds; }

    /// Lets other processes write the folder (the run is over; nothing more is written).
    void unlock() { m_lock = FolderLock(); }

    /// Where a run folder keeps its checkpoint, and the checkpoint's companion with the method's resume tensors.
    static std::string checkpointPath(const std::string& folder);
    static std::string resumeStatePath(const std::string& folder);
    std::string resumeStatePath() const { return resumeStatePath(m_path); }

    const std::string& path() const { return m_path; }

    void appendStep(const StepStats& stats);
    void appendEval(const EvalResult& result);
    /// The metrics.jsonl line of an evaluation (appendRunEvaluation writes the same from outside a run).
    static std::string evalLine(const EvalResult& result);

    void writeCheckpoint(const SyntheticSet& set);
    /// synthetic.safetensors always; synthetic.npz and grid.png when the build can write them.
    void writeFinal(const SyntheticSet& set);

private:
    RunFolder() = default;

    std::string m_path;
    FolderLock m_lock;
    MetricsLog m_metrics;
    double m_keptStepSeconds = 0;
};

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "controller/metatypes.h"

#include <distillery/runcontrol.h>

#include <QElapsedTimer>
#include <QImage>
#include <QObject>
#include <QString>

#include <memory>
#include <string>

namespace distillery::ui {

/// Niceness of the run thread (and the torch threads it starts): the window stays responsive, and the run still
/// gets every cycle the window does not need.
inline constexpr int kRunThreadNiceness = 5;
/// Evaluations beside a run come after the run itself.
inline constexpr int kEvalThreadNiceness = 10;

/// Lowers the calling thread's scheduling priority (Linux: its nice value); nothing elsewhere.
void lowerThreadPriority(int niceness);

/// Lives in RunController's thread and runs one session at a time (docs/architecture.md, "Threads"). Results
/// leave as values on queued signals tagged with the run id, throttled: step statistics in batches at most every
/// 40 ms, snapshots at most 10 per second (the last one always).
class RunWorker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunWorker)

public:
    RunWorker() = default;

    /// Runs in the worker thread before any run: torch's thread count is set once, there.
    void initThread(int threads);

    /// Blocks the worker's event loop until the run ends; stop and pause come through `control`. A non-empty
    /// `resumeDir` continues that run folder from its checkpoint.
    void run(const distillery::core::RunConfig& config, std::shared_ptr<distillery::core::RunControl> control,
        quint64 runId, const std::string& resumeDir = {});

Q_SIGNALS:
    void prepared(quint64 runId, const distillery::core::RunConfig& resolved, const QString& runDir);
    void dataLoaded(quint64 runId, const distillery::core::DatasetInfo& info);
    void stageProgressed(quint64 runId, const QString& stage, const QString& unit, qint64 done, qint64 total);
    /// The run's own final evaluation: model `model` (0-based) of `models`, `done` of `total` epochs in all.
    void finalEvaluationProgressed(quint64 runId, int model, int models, int done, int total);
    /// A continued run: what its folder recorded before this session (before any new step arrives).
    void historyLoaded(quint64 runId, const distillery::core::RunHistory& history);
    void stepsCompleted(quint64 runId, const QList<distillery::core::StepStats>& steps);
    void snapshotReady(quint64 runId, const distillery::core::Snapshot& snapshot, const QImage& grid);
    /// The run kept a timeline frame of `iteration`; sent for every frame, even when its image is not.
    void timelineFrameKept(quint64 runId, int iteration);
    void syntheticSetReady(quint64 runId, const distillery::core::SyntheticSet& set);
    void evaluated(quint64 runId, const distillery::core::EvalResult& result);
    void messageLogged(quint64 runId, const QString& line);
    void runFinished(quint64 runId, const distillery::core::RunResult& result);
    void runFailed(quint64 runId, const QString& message);

private:
    void flushSteps(quint64 runId);

    QList<distillery::core::StepStats> m_pendingSteps;
    QElapsedTimer m_sinceSteps;
    QElapsedTimer m_sinceSnapshot;
};

} // namespace distillery::ui

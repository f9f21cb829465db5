// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "controller/evalworker.h"
#include "controller/metatypes.h"

#include <distillery/runcontrol.h>

#include <QImage>
#include <QObject>
#include <QThread>

#include <memory>
#include <optional>

namespace distillery::ui {

class RunWorker;

/// Owns the long-lived run thread and the evaluation thread (docs/architecture.md, "Threads"). Every call is
/// made on the GUI thread; results arrive as signals for the current run only (stale run ids are dropped).
class RunController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunController)

public:
    enum class State
    {
        Idle,
        Running,
        Paused,
        Stopping,
    };
    Q_ENUM(State)

    explicit RunController(QObject* parent = nullptr, int threads = 0);
    ~RunController() override;

    /// Starts a run (stopping any current one). The baseline of a random real subset at the same IPC is evaluated
    /// beside it unless `baseline` is false. With `resumeDir`, continues that run folder from its checkpoint
    /// (core::Session's resume constructor; `config` is normally the folder's own).
    void start(const distillery::core::RunConfig& config, bool baseline = true, const QString& resumeDir = {});
    /// Runs started from now on stop after exactly `iterations` iterations (0 = no limit; scripted use).
    void setStopAfterIteration(int iterations) { m_stopAfter = iterations; }
    void pause();
    void resume();
    /// While paused: exactly one more iteration.
    void step();
    /// Ends the run after the current iteration; the session writes the checkpoint and the last set.
    void stop();
    /// Evaluates a copy of the current set on the evaluation thread; distillation goes on meanwhile.
    void evaluateNow();
    /// Also evaluate every `iterations` (0 = never) without stopping distillation.
    void setEvaluationInterval(int iterations);
    /// The same protocol on the whole training split (slow on a CPU: minutes).
    void computeFullDataBaseline();
    /// Asks for a full-precision copy of the current set (syntheticSetReady answers).
    void requestSyntheticSet();
    /// Runs the privacy inspector on `set` in the evaluation thread (inspected or inspectionFailed answer).
    void inspectPrivacy(const distillery::core::SyntheticSet& set, const distillery::core::PrivacyOptions& options);
    bool inspectionRunning() const { return m_inspecting; }
    /// Ends the evaluations and baselines beside the run (running and queued) within a second; later ones run.
    void cancelEvaluations();
    /// Ends the privacy inspection within a second (inspectionCancelled answers).
    void cancelInspection();

    /// Evaluates a set that is not running (an opened file, a finished run) with `config`'s data and protocol; with
    /// a `recordIn` run folder (the set's own), the result goes into its metrics.jsonl too.
    void evaluateSet(const distillery::core::SyntheticSet& set, const distillery::core::RunConfig& config,
        const QString& recordIn = {});

    State state() const { return m_state; }
    bool isActive() const { return m_state != State::Idle; }
    quint64 currentRunId() const { return m_currentRunId; }
    /// The resolved config of the current (or last) run, once prepared.
    const std::optional<distillery::core::RunConfig>& resolvedConfig() const { return m_resolved; }
    int lastIteration() const { return m_lastIteration; }
    /// Evaluations and baselines submitted and not yet answered.
    int evaluationsInFlight() const { return m_jobsInFlight; }

Q_SIGNALS:
    void stateChanged(distillery::ui::RunController::State state);
    void prepared(const distillery::core::RunConfig& resolved, const QString& runDir);
    /// What the run's data set holds, once loaded.
    void dataLoaded(const distillery::core::DatasetInfo& info);
    /// A long preparation stage before the first iteration (e.g. herding's feature network).
    void stageProgressed(const QString& stage, const QString& unit, qint64 done, qint64 total);
    /// The run's final evaluation (in the run thread, after the last iteration): `done` of `total` epochs in all.
    void finalEvaluationProgressed(int model, int models, int done, int total);
    /// A continued run's earlier steps and evaluations, from its folder.
    void historyLoaded(const distillery::core::RunHistory& history);
    void stepsCompleted(const QList<distillery::core::StepStats>& steps);
    void snapshotReady(const distillery::core::Snapshot& snapshot, const QImage& grid);
    /// The run kept a frame of `iteration` in its folder's timeline (every frame, unlike snapshotReady's images).
    void timelineFrameKept(int iteration);
    void syntheticSetReady(const distillery::core::SyntheticSet& set);
    void evaluated(const distillery::core::EvalResult& result);
    void evaluationProgressed(int done, int total);
    void baselineReady(distillery::ui::EvalWorker::Job job, const distillery::core::EvalResult& result);
    void messageLogged(const QString& line);
    void inspected(const distillery::core::PrivacyReport& report);
    void inspectionProgressed(const QString& stage, int done, int total);
    void inspectionFailed(const QString& message);
    void inspectionCancelled();
    /// No evaluation or baseline job is left (the last one answered, failed or was cancelled).
    void evaluationsIdle();
    void runFinished(const distillery::core::RunResult& result);
    void runFailed(const QString& message);

private:
    void setState(State state);
    void submitEvaluation(
        EvalWorker::Job job, const core::SyntheticSet& set, const core::RunConfig& config, const QString& recordIn);

    QThread m_runThread;
    QThread m_evalThread;
    RunWorker* m_runWorker; // lives in m_runThread; deleted there
    EvalWorker* m_evalWorker; // lives in m_evalThread
    std::shared_ptr<core::RunControl> m_control;
    int m_stopAfter = 0;
    std::shared_ptr<core::RunControl> m_evalControl; ///< evaluations and baselines
    std::shared_ptr<core::RunControl> m_inspectControl = std::make_shared<core::RunControl>(); ///< privacy inspections
    quint64 m_currentRunId = 0;
    State m_state = State::Idle;
    std::optional<core::RunConfig> m_resolved;
    QString m_runDir; ///< the current (or last) run's folder: its evaluations and baselines are recorded there
    int m_lastIteration = 0;
    int m_evalInterval = 0;
    int m_nextEvalAt = 0;
    bool m_copyForEvaluation = false;
    int m_evaluationsInFlight = 0; ///< synthetic-set evaluations only: periodic ones wait for these
    int m_jobsInFlight = 0; ///< every evaluation job
    bool m_wantBaseline = true;
    bool m_inspecting = false;
};

} // namespace distillery::ui

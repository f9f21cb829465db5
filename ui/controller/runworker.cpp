// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "controller/runworker.h"

#include "controller/snapshotimage.h"

#include <distillery/device.h>
#include <distillery/error.h>
#include <distillery/session.h>

#if defined(Q_OS_LINUX)
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace distillery::ui {
namespace {

    constexpr qint64 kStepBatchMs = 40; // ≤ 25 batches per second reach the GUI
    constexpr qint64 kSnapshotMs = 100; // ≤ 10 images per second

} // namespace

void lowerThreadPriority(int niceness)
{
#if defined(Q_OS_LINUX)
    // Linux keeps a nice value per thread, and the thread pool torch starts from this thread inherits it. On a
    // two-core laptop, two busy torch threads otherwise starve the GUI thread: timer ticks came 100–290 ms late.
    // QThread priorities cannot express this (SCHED_OTHER has a single static priority).
    setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), niceness);
#else
    Q_UNUSED(niceness)
#endif
}

void RunWorker::initThread(int threads)
{
    lowerThreadPriority(kRunThreadNiceness);
    core::setThreadCount(threads);
}

void RunWorker::flushSteps(quint64 runId)
{
    if (m_pendingSteps.isEmpty())
        return;
    Q_EMIT stepsCompleted(runId, m_pendingSteps);
    m_pendingSteps.clear();
    m_sinceSteps.restart();
}

void RunWorker::run(
    const core::RunConfig& config, std::shared_ptr<core::RunControl> control, quint64 runId, const std::string& resumeDir)
{
    m_pendingSteps.clear();
    m_sinceSteps.start();
    m_sinceSnapshot.invalidate();
    core::Snapshot latest;
    bool latestSent = true;

    core::SessionCallbacks callbacks;
    callbacks.onStep = [&](const core::StepStats& stats) {
        m_pendingSteps.append(stats);
        // A paused run moves one step at a time: show each at once.
        if (m_sinceSteps.elapsed() >= kStepBatchMs || control->isPaused())
            flushSteps(runId);
    };
    callbacks.onSnapshot = [&](const core::Snapshot& snapshot) {
        if (snapshot.timelineFrame)
            Q_EMIT timelineFrameKept(runId, snapshot.iteration);
        latest = snapshot;
        latestSent = false;
        if (!m_sinceSnapshot.isValid() || m_sinceSnapshot.elapsed() >= kSnapshotMs || control->isPaused()) {
            flushSteps(runId); // curves never lag behind the image
            Q_EMIT snapshotReady(runId, latest, gridImage(latest));
            latestSent = true;
            m_sinceSnapshot.restart();
        }
    };
    callbacks.onSyntheticSet = [&](const core::SyntheticSet& set) { Q_EMIT syntheticSetReady(runId, set); };
    callbacks.onEvaluated = [&](const core::EvalResult& result) { Q_EMIT evaluated(runId, result); };
    callbacks.onMessage = [&](const std::string& line) { Q_EMIT messageLogged(runId, QString::fromStdString(line)); };
    QElapsedTimer sinceStage;
    callbacks.onStageProgress = [&](const core::StageProgress& p) {
        // Throttled like the steps; the last unit always goes out.
        if (sinceStage.isValid() && sinceStage.elapsed() < kStepBatchMs && p.done < p.total)
            return;
        sinceStage.restart();
        Q_EMIT stageProgressed(runId, QString::fromStdString(p.stage), QString::fromStdString(p.unit), p.done, p.total);
    };

    QElapsedTimer sinceEvalProgress;
    callbacks.onEvalProgress = [&](const core::EvalProgress& p) {
        const int done = p.model * p.epochs + p.epoch, total = p.models * p.epochs;
        if (sinceEvalProgress.isValid() && sinceEvalProgress.elapsed() < kStepBatchMs && done < total)
            return;
        sinceEvalProgress.restart();
        Q_EMIT finalEvaluationProgressed(runId, p.model, p.models, done, total);
    };

    // No exception may cross a queued call: everything ends in runFinished or runFailed.
    try {
        const auto owned = resumeDir.empty() ? std::make_unique<core::Session>(config)
                                             : std::make_unique<core::Session>(config, resumeDir);
        core::Session& session = *owned;
        try {
            session.prepare(callbacks, control.get());
        } catch (const core::Cancelled&) {
            core::RunResult stopped; // stopped while preparing: no set exists yet
            stopped.stopped = true;
            stopped.runDir = session.runDir();
            Q_EMIT runFinished(runId, stopped);
            return;
        }
        Q_EMIT dataLoaded(runId, session.dataInfo());
        Q_EMIT prepared(runId, session.config(), QString::fromStdString(session.runDir()));
        if (!resumeDir.empty()) // read before the run appends to metrics.jsonl again
            Q_EMIT historyLoaded(runId, core::loadRunHistory(resumeDir));
        const core::RunResult result = session.run(*control, callbacks);
        flushSteps(runId);
        if (!latestSent)
            Q_EMIT snapshotReady(runId, latest, gridImage(latest)); // the final image always goes out
        Q_EMIT runFinished(runId, result);
    } catch (const std::exception& e) {
        flushSteps(runId);
        if (!latestSent)
            Q_EMIT snapshotReady(runId, latest, gridImage(latest));
        Q_EMIT runFailed(runId, QString::fromStdString(e.what()));
    }
}

} // namespace distillery::ui

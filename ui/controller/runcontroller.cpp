// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "controller/runcontroller.h"

#include "controller/runworker.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcController, "distillery.ui.controller")

namespace distillery::ui {

void registerMetaTypes()
{
    qRegisterMetaType<core::RunConfig>();
    qRegisterMetaType<core::DatasetInfo>();
    qRegisterMetaType<core::StepStats>();
    qRegisterMetaType<QList<core::StepStats>>();
    qRegisterMetaType<core::Snapshot>();
    qRegisterMetaType<core::EvalResult>();
    qRegisterMetaType<core::RunResult>();
    qRegisterMetaType<core::RunHistory>();
    qRegisterMetaType<core::SyntheticSet>();
    qRegisterMetaType<EvalWorker::Job>();
    qRegisterMetaType<RunController::State>();
    qRegisterMetaType<core::PrivacyReport>();
    qRegisterMetaType<core::PrivacyOptions>();
}

RunController::RunController(QObject* parent, int threads)
    : QObject(parent)
    , m_runWorker(new RunWorker) // no parent: it moves to m_runThread and is deleted there
    , m_evalWorker(new EvalWorker)
{
    registerMetaTypes();
    m_runThread.setObjectName(QStringLiteral("distillery-run"));
    m_evalThread.setObjectName(QStringLiteral("distillery-eval"));
    m_runWorker->moveToThread(&m_runThread);
    m_evalWorker->moveToThread(&m_evalThread);
    connect(&m_runThread, &QThread::started, m_runWorker, [w = m_runWorker, threads] { w->initThread(threads); });
    connect(&m_evalThread, &QThread::started, m_evalWorker, [] { lowerThreadPriority(kEvalThreadNiceness); });
    connect(&m_runThread, &QThread::finished, m_runWorker, &QObject::deleteLater);
    connect(&m_evalThread, &QThread::finished, m_evalWorker, &QObject::deleteLater);

    // Late results of a stopped or replaced run are dropped here, once, for every consumer.
    connect(m_runWorker, &RunWorker::prepared, this, [this](quint64 id, const core::RunConfig& resolved, const QString& dir) {
        if (id != m_currentRunId)
            return;
        m_resolved = resolved;
        m_runDir = dir;
        Q_EMIT prepared(resolved, dir);
        if (m_wantBaseline)
            submitEvaluation(EvalWorker::Job::RandomReal, {}, resolved, m_runDir);
    });
    connect(m_runWorker, &RunWorker::dataLoaded, this, [this](quint64 id, const core::DatasetInfo& info) {
        if (id == m_currentRunId)
            Q_EMIT dataLoaded(info);
    });
    connect(m_runWorker, &RunWorker::stageProgressed, this,
        [this](quint64 id, const QString& stage, const QString& unit, qint64 done, qint64 total) {
            if (id == m_currentRunId)
                Q_EMIT stageProgressed(stage, unit, done, total);
        });
    connect(m_runWorker, &RunWorker::finalEvaluationProgressed, this,
        [this](quint64 id, int model, int models, int done, int total) {
            if (id == m_currentRunId)
                Q_EMIT finalEvaluationProgressed(model, models, done, total);
        });
    connect(m_runWorker, &RunWorker::historyLoaded, this, [this](quint64 id, const core::RunHistory& history) {
        if (id != m_currentRunId)
            return;
        if (!history.steps.empty()) { // monitoring evaluations go on from where the run stands
            m_lastIteration = history.steps.back().iteration;
            m_nextEvalAt = m_lastIteration + m_evalInterval;
        }
        Q_EMIT historyLoaded(history);
    });
    connect(m_runWorker, &RunWorker::stepsCompleted, this, [this](quint64 id, const QList<core::StepStats>& steps) {
        if (id != m_currentRunId || steps.isEmpty())
            return;
        m_lastIteration = steps.back().iteration;
        Q_EMIT stepsCompleted(steps);
        if (m_evalInterval > 0 && m_lastIteration >= m_nextEvalAt && m_state == State::Running) {
            m_nextEvalAt = m_lastIteration + m_evalInterval;
            if (m_evaluationsInFlight == 0) // never queue evaluations faster than they finish
                evaluateNow();
        }
    });
    connect(m_runWorker, &RunWorker::snapshotReady, this,
        [this](quint64 id, const core::Snapshot& snapshot, const QImage& grid) {
            if (id == m_currentRunId)
                Q_EMIT snapshotReady(snapshot, grid);
        });
    connect(m_runWorker, &RunWorker::timelineFrameKept, this, [this](quint64 id, int iteration) {
        if (id == m_currentRunId)
            Q_EMIT timelineFrameKept(iteration);
    });
    connect(m_runWorker, &RunWorker::syntheticSetReady, this, [this](quint64 id, const core::SyntheticSet& set) {
        if (id != m_currentRunId)
            return;
        if (m_copyForEvaluation && m_resolved) {
            m_copyForEvaluation = false;
            submitEvaluation(EvalWorker::Job::Synthetic, set, *m_resolved, m_runDir);
        }
        Q_EMIT syntheticSetReady(set);
    });
    connect(m_runWorker, &RunWorker::evaluated, this, [this](quint64 id, const core::EvalResult& result) {
        if (id == m_currentRunId)
            Q_EMIT evaluated(result);
    });
    connect(m_runWorker, &RunWorker::messageLogged, this, [this](quint64 id, const QString& line) {
        if (id == m_currentRunId)
            Q_EMIT messageLogged(line);
    });
    connect(m_runWorker, &RunWorker::runFinished, this, [this](quint64 id, const core::RunResult& result) {
        if (id != m_currentRunId)
            return;
        setState(State::Idle);
        Q_EMIT runFinished(result);
    });
    connect(m_runWorker, &RunWorker::runFailed, this, [this](quint64 id, const QString& message) {
        if (id != m_currentRunId)
            return;
        setState(State::Idle);
        Q_EMIT runFailed(message);
    });
    connect(m_evalWorker, &EvalWorker::evaluated, this,
        [this](quint64 id, EvalWorker::Job job, const core::EvalResult& result, const QString& recordProblem) {
            --m_jobsInFlight;
            if (job == EvalWorker::Job::Synthetic)
                --m_evaluationsInFlight;
            if (!recordProblem.isEmpty())
                Q_EMIT messageLogged(tr("The evaluation was not recorded in the run folder: %1").arg(recordProblem));
            if (m_jobsInFlight == 0)
                Q_EMIT evaluationsIdle();
            if (id != m_currentRunId)
                return;
            if (job == EvalWorker::Job::Synthetic)
                Q_EMIT evaluated(result);
            else
                Q_EMIT baselineReady(job, result);
        });
    connect(m_evalWorker, &EvalWorker::progressed, this, [this](quint64 id, EvalWorker::Job, int done, int total) {
        if (id == m_currentRunId)
            Q_EMIT evaluationProgressed(done, total);
    });
    connect(m_evalWorker, &EvalWorker::failed, this, [this](quint64 id, EvalWorker::Job job, const QString& message) {
        --m_jobsInFlight;
        if (job == EvalWorker::Job::Synthetic)
            --m_evaluationsInFlight;
        if (id == m_currentRunId && !message.isEmpty())
            Q_EMIT messageLogged(tr("Evaluation failed: %1").arg(message));
        if (m_jobsInFlight == 0)
            Q_EMIT evaluationsIdle();
    });
    // Inspections are not tied to a run (an opened file can be inspected too): every answer is delivered.
    connect(m_evalWorker, &EvalWorker::inspected, this, [this](quint64, const core::PrivacyReport& report) {
        m_inspecting = false;
        Q_EMIT inspected(report);
    });
    connect(m_evalWorker, &EvalWorker::inspectionProgressed, this,
        [this](quint64, const QString& stage, int done, int total) { Q_EMIT inspectionProgressed(stage, done, total); });
    connect(m_evalWorker, &EvalWorker::inspectionFailed, this, [this](quint64, const QString& message) {
        m_inspecting = false;
        if (message.isEmpty())
            Q_EMIT inspectionCancelled();
        else
            Q_EMIT inspectionFailed(message);
    });
    m_runThread.start();
    m_evalThread.start();
}

RunController::~RunController()
{
    // Stop first: run() blocks the worker's event loop, so quit() alone would wait forever.
    if (m_control)
        m_control->requestStop();
    if (m_evalControl)
        m_evalControl->requestStop();
    m_inspectControl->requestStop();
    m_runThread.quit();
    m_evalThread.quit();
    m_runThread.wait();
    m_evalThread.wait();
}

void RunController::setState(State state)
{
    if (state == m_state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void RunController::start(const core::RunConfig& config, bool baseline, const QString& resumeDir)
{
    stop();
    if (m_evalControl)
        m_evalControl->requestStop(); // evaluations of the previous run are no longer wanted
    m_evalControl = std::make_shared<core::RunControl>();
    m_control = std::make_shared<core::RunControl>();
    m_control->setStopAfter(m_stopAfter);
    const quint64 runId = ++m_currentRunId;
    m_resolved.reset();
    m_lastIteration = 0;
    m_nextEvalAt = m_evalInterval;
    m_copyForEvaluation = false;
    m_wantBaseline = baseline;
    setState(State::Running);
    QMetaObject::invokeMethod(
        m_runWorker,
        [w = m_runWorker, config, c = m_control, runId, dir = resumeDir.toStdString()] { w->run(config, c, runId, dir); },
        Qt::QueuedConnection);
}

void RunController::pause()
{
    if (m_state != State::Running)
        return;
    m_control->setPaused(true);
    setState(State::Paused);
}

void RunController::resume()
{
    if (m_state != State::Paused)
        return;
    m_control->setPaused(false);
    setState(State::Running);
}

void RunController::step()
{
    if (m_state == State::Running)
        pause();
    if (m_state == State::Paused)
        m_control->requestSingleStep();
}

void RunController::stop()
{
    if (!m_control || m_state == State::Idle || m_state == State::Stopping)
        return;
    m_control->requestStop(); // also wakes a paused run
    setState(State::Stopping);
}

void RunController::requestSyntheticSet()
{
    if (m_control && isActive())
        m_control->requestSyntheticCopy();
}

void RunController::evaluateNow()
{
    if (!m_control || !isActive())
        return;
    m_copyForEvaluation = true;
    m_control->requestSyntheticCopy();
}

void RunController::setEvaluationInterval(int iterations)
{
    m_evalInterval = std::max(0, iterations);
    m_nextEvalAt = m_lastIteration + m_evalInterval;
}

void RunController::computeFullDataBaseline()
{
    if (m_resolved)
        submitEvaluation(EvalWorker::Job::FullData, {}, *m_resolved, m_runDir);
}

void RunController::evaluateSet(const core::SyntheticSet& set, const core::RunConfig& config, const QString& recordIn)
{
    if (!m_evalControl)
        m_evalControl = std::make_shared<core::RunControl>();
    if (!m_resolved)
        m_resolved = config;
    submitEvaluation(EvalWorker::Job::Synthetic, set, config, recordIn);
}

void RunController::inspectPrivacy(const core::SyntheticSet& set, const core::PrivacyOptions& options)
{
    m_inspecting = true;
    QMetaObject::invokeMethod(
        m_evalWorker, [w = m_evalWorker, id = m_currentRunId, set, options, c = m_inspectControl] { w->inspect(id, set, options, c); },
        Qt::QueuedConnection);
}

void RunController::cancelEvaluations()
{
    // The jobs hold the old control: running ones stop within a second, queued ones at their start; each still
    // answers (failed, with no message), which keeps the in-flight counts right.
    if (m_evalControl)
        m_evalControl->requestStop();
    m_evalControl = std::make_shared<core::RunControl>();
}

void RunController::cancelInspection()
{
    m_inspectControl->requestStop();
    m_inspectControl = std::make_shared<core::RunControl>();
}

void RunController::submitEvaluation(
    EvalWorker::Job job, const core::SyntheticSet& set, const core::RunConfig& config, const QString& recordIn)
{
    if (job == EvalWorker::Job::Synthetic)
        ++m_evaluationsInFlight;
    ++m_jobsInFlight;
    QMetaObject::invokeMethod(
        m_evalWorker,
        [w = m_evalWorker, id = m_currentRunId, job, config, set, c = m_evalControl, recordIn] {
            w->evaluate(id, job, config, set, c, recordIn);
        },
        Qt::QueuedConnection);
}

} // namespace distillery::ui

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "controller/runstatus.h"

#include <QCoreApplication>

#include <algorithm>
#include <limits>

namespace distillery::ui {
namespace {

    QString tr(const char* text)
    {
        return QCoreApplication::translate("RunStatus", text);
    }

    QString rateText(double rate)
    {
        return tr("%1 it/s").arg(rate, 0, 'f', rate < 10 ? 2 : 1);
    }

    int clampInt(qint64 v)
    {
        return static_cast<int>(std::clamp<qint64>(v, 0, std::numeric_limits<int>::max()));
    }

} // namespace

double timeLeft(qint64 done, qint64 total, double elapsedSeconds)
{
    if (done <= 0 || done >= total || elapsedSeconds < 1.0)
        return -1;
    return elapsedSeconds * static_cast<double>(total - done) / static_cast<double>(done);
}

QString formatDuration(double seconds)
{
    if (!(seconds >= 0) || seconds > 1e7)
        return QStringLiteral("–");
    const auto s = static_cast<qint64>(seconds + 0.5);
    return s >= 3600 ? QStringLiteral("%1:%2:%3").arg(s / 3600).arg((s / 60) % 60, 2, 10, QLatin1Char('0')).arg(s % 60, 2, 10, QLatin1Char('0'))
                     : QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

void RunStatus::reset()
{
    *this = RunStatus();
}

void RunStatus::preparing()
{
    reset();
    m_phase = Phase::Preparing;
}

void RunStatus::stage(const QString& stage, const QString& unit, qint64 done, qint64 total, double elapsedSeconds, qint64 doneAtStart)
{
    if (m_phase == Phase::Stopping)
        return; // a stop asked during preparation ends it within a second
    m_phase = Phase::Preparing;
    m_stage = stage;
    m_unit = unit;
    m_done = done;
    m_of = total;
    m_elapsed = elapsedSeconds;
    m_doneAtStart = doneAtStart;
}

void RunStatus::prepared(int totalIterations)
{
    m_prepared = true;
    m_total = totalIterations;
    m_stage.clear();
    if (m_phase == Phase::Preparing)
        m_phase = Phase::Running;
}

void RunStatus::step(const core::StepStats& last)
{
    m_iteration = last.iteration;
    m_total = last.totalIterations;
    m_rate = last.elapsedSeconds > 0 ? last.iteration / last.elapsedSeconds : 0;
    if (m_phase == Phase::Preparing || m_phase == Phase::Ready)
        m_phase = Phase::Running;
}

void RunStatus::setPaused(bool paused)
{
    if (paused && (m_phase == Phase::Running || m_phase == Phase::Preparing))
        m_phase = Phase::Paused;
    else if (!paused && m_phase == Phase::Paused)
        m_phase = Phase::Running;
}

void RunStatus::stopping()
{
    if (m_phase != Phase::Stopped && m_phase != Phase::Finished && m_phase != Phase::Failed)
        m_phase = Phase::Stopping;
}

void RunStatus::finalEvaluation(int model, int models, int done, int total, double elapsedSeconds)
{
    if (m_phase == Phase::Stopping)
        return;
    m_phase = Phase::Evaluating;
    m_model = model;
    m_models = models;
    m_done = done;
    m_of = total;
    m_elapsed = elapsedSeconds;
}

void RunStatus::ended(bool stopped, int iterations)
{
    m_iteration = std::max(m_iteration, iterations);
    m_phase = stopped ? Phase::Stopped : Phase::Finished;
}

void RunStatus::failed()
{
    m_phase = Phase::Failed;
}

RunStatus::View RunStatus::view() const
{
    View v;
    const auto iterations = [&] {
        v.value = m_iteration;
        v.maximum = std::max(m_total, 1);
        v.progressVisible = m_total > 0;
    };
    switch (m_phase) {
    case Phase::Ready:
        v.label = tr("Ready");
        break;
    case Phase::Preparing:
        if (m_stage.isEmpty()) {
            v.label = tr("Preparing…");
            v.progressVisible = true; // busy: range 0…0
        } else {
            v.label = tr("%1: %2 of %3 %4").arg(m_stage).arg(m_done).arg(m_of).arg(m_unit);
            v.value = clampInt(m_done);
            v.maximum = clampInt(std::max<qint64>(m_of, 1));
            v.progressVisible = true;
            v.rate = tr("ETA %1").arg(formatDuration(timeLeft(m_done - m_doneAtStart, m_of - m_doneAtStart, m_elapsed)));
        }
        break;
    case Phase::Running:
        iterations();
        v.label = tr("Iteration %1 / %2").arg(m_iteration).arg(m_total);
        if (m_rate > 0)
            v.rate = tr("%1, ETA %2").arg(rateText(m_rate), formatDuration((m_total - m_iteration) / m_rate));
        break;
    case Phase::Paused:
        iterations();
        v.label = tr("Paused at iteration %1 / %2").arg(m_iteration).arg(m_total);
        if (m_rate > 0)
            v.rate = rateText(m_rate); // no ETA: nothing moves while paused
        break;
    case Phase::Stopping:
        iterations();
        v.label = tr("Stopping at iteration %1…").arg(m_iteration);
        break;
    case Phase::Evaluating:
        v.label = tr("Final evaluation: model %1 of %2").arg(m_model + 1).arg(m_models);
        v.value = clampInt(m_done);
        v.maximum = clampInt(std::max<qint64>(m_of, 1));
        v.progressVisible = true;
        v.rate = tr("ETA %1").arg(formatDuration(timeLeft(m_done, m_of, m_elapsed)));
        break;
    case Phase::Stopped:
        if (!m_prepared) {
            v.label = tr("Stopped while preparing");
            break;
        }
        iterations();
        v.label = tr("Stopped at iteration %1 of %2").arg(m_iteration).arg(m_total);
        break;
    case Phase::Finished:
        iterations();
        v.label = tr("Finished %1 iterations").arg(m_iteration);
        if (m_rate > 0)
            v.rate = tr("%1 on average").arg(rateText(m_rate));
        break;
    case Phase::Failed:
        iterations();
        v.label = tr("Failed at iteration %1").arg(m_iteration);
        break;
    }
    return v;
}

} // namespace distillery::ui

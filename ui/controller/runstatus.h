// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/stepstats.h>

#include <QString>

namespace distillery::ui {

/// What the status bar says about the run, decided in one place: the phase (preparing, running, paused, stopping,
/// the final evaluation, stopped, finished, failed), the progress bar and the rate with its ETA. An ETA is shown only
/// while something moves towards a known end: never while paused or stopping, and during the final evaluation the
/// evaluation's own progress and ETA replace the iterations'. Plain data in, text out: tested without a window.
/// Elapsed times come from the caller, so the texts do not depend on a clock.
class RunStatus final
{
public:
    enum class Phase
    {
        Ready,
        Preparing,
        Running,
        Paused,
        Stopping,
        Evaluating,
        Stopped,
        Finished,
        Failed,
    };

    struct View
    {
        QString label; ///< "Iteration 7 / 200", "Paused at iteration 7 / 200", "Final evaluation: model 1 of 2 …"
        QString rate; ///< "12.3 it/s, ETA 1:02", "12.3 it/s" or empty
        int value = 0; ///< progress bar
        int maximum = 0;
        bool progressVisible = false;
    };

    void reset(); ///< Ready
    void preparing(); ///< a run was asked for: loading, preparing
    /// A preparation stage's progress (feature network, expert trajectories), `elapsedSeconds` after it stood at
    /// `doneAtStart`: a stage that continues kept work (experts, scoring) starts above 0, and its ETA counts only the
    /// work done since.
    void stage(const QString& stage, const QString& unit, qint64 done, qint64 total, double elapsedSeconds, qint64 doneAtStart = 0);
    void prepared(int totalIterations);
    void step(const distillery::core::StepStats& last);
    void setPaused(bool paused);
    void stopping();
    /// The run's final evaluation: `done` of `total` epochs over all models, `elapsedSeconds` into it.
    void finalEvaluation(int model, int models, int done, int total, double elapsedSeconds);
    void ended(bool stopped, int iterations);
    void failed();

    Phase phase() const { return m_phase; }
    /// Stopped before its first iteration (while loading, training experts or scoring): no set exists, and what the
    /// preparation kept (experts, scores, the progress of the one in training) is there for the next start.
    bool stoppedWhilePreparing() const { return m_phase == Phase::Stopped && !m_prepared; }
    View view() const;

private:
    Phase m_phase = Phase::Ready;
    int m_iteration = 0;
    int m_total = 0;
    bool m_prepared = false; ///< prepared() came: the run reached its iterations
    double m_rate = 0; ///< iterations per second of step time
    QString m_stage;
    QString m_unit;
    qint64 m_done = 0; ///< of the stage or the evaluation
    qint64 m_of = 0;
    double m_elapsed = 0; ///< seconds into the stage or the evaluation
    qint64 m_doneAtStart = 0; ///< where the stage stood when m_elapsed started
    int m_model = 0;
    int m_models = 0;
};

/// "1:02", "1:02:03", or "–" when unknown (negative).
QString formatDuration(double seconds);

/// Seconds left when `done` of `total` took `elapsedSeconds`, or −1 while there is too little to go by (nothing
/// done, or under a second). Every ETA of the window comes from here.
double timeLeft(qint64 done, qint64 total, double elapsedSeconds);

} // namespace distillery::ui

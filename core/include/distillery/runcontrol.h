// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>

namespace distillery::core {

/// Shared between whoever drives a run (GUI thread, CLI signal handler) and the session loop that reads it
/// between steps. A fresh RunControl per run means a late stop can never hit the next run.
class RunControl final
{
public:
    /// Ends the run at the next check. Also wakes a paused run, which must see the stop.
    void requestStop()
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
        m_wake.notify_all();
    }

    void setPaused(bool paused)
    {
        std::lock_guard lock(m_mutex);
        m_paused = paused;
        if (!paused)
            m_stepsAllowed = 0;
        m_wake.notify_all();
    }

    /// While paused, lets exactly one more step through (the "Step" button of a lesson).
    void requestSingleStep()
    {
        std::lock_guard lock(m_mutex);
        ++m_stepsAllowed;
        m_wake.notify_all();
    }

    /// Asks the session for an evaluation of the current synthetic set at the next check (blocking the run).
    /// Served while paused too.
    void requestEvaluation() { raise(m_evaluate); }
    bool takeEvaluationRequest() { return m_evaluate.exchange(false, std::memory_order_relaxed); }

    /// Asks the session for a full-precision copy of the current set (SessionCallbacks::onSyntheticSet) at the
    /// next check, e.g. for an evaluation on another thread while distillation goes on. Served while paused too.
    void requestSyntheticCopy() { raise(m_copy); }
    bool takeSyntheticCopyRequest() { return m_copy.exchange(false, std::memory_order_relaxed); }

    enum class Next
    {
        Step, ///< run one iteration
        Service, ///< answer the pending copy/evaluation requests, then ask again
        Stop, ///< end the run
    };

    /// The session loop's check: blocks while paused until a step is granted, a request arrives or the run stops.
    Next next()
    {
        std::unique_lock lock(m_mutex);
        m_wake.wait(lock, [this] { return !m_paused || m_stop || m_stepsAllowed > 0 || m_copy || m_evaluate; });
        if (m_stop)
            return Next::Stop;
        if (m_copy || m_evaluate)
            return Next::Service;
        if (m_paused)
            --m_stepsAllowed;
        return Next::Step;
    }

    bool isPaused() const
    {
        std::lock_guard lock(m_mutex);
        return m_paused;
    }

    /// Lock-free, for long inner loops (evaluation epochs, feature extraction).
    bool stopRequested() const { return m_stop.load(std::memory_order_relaxed); }

    /// Ends the run once `iterations` iterations are done, exactly (scripted runs); 0 = no such limit. A run whose
    /// own count is not larger ends as usual, final evaluation included.
    void setStopAfter(int iterations) { m_stopAfter.store(iterations, std::memory_order_relaxed); }
    int stopAfter() const { return m_stopAfter.load(std::memory_order_relaxed); }

private:
    void raise(std::atomic<bool>& flag)
    {
        std::lock_guard lock(m_mutex);
        flag = true;
        m_wake.notify_all(); // a paused run serves requests too
    }

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_evaluate{false};
    std::atomic<bool> m_copy{false};
    std::atomic<int> m_stopAfter{0};
    bool m_paused = false;
    int m_stepsAllowed = 0;
};

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "stopsignal.h"

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <iostream>

namespace distillery::cli {
namespace {

    volatile std::sig_atomic_t g_signals = 0;

    extern "C" void onSignal(int)
    {
        if (++g_signals > 1)
            std::_Exit(130);
    }

} // namespace

StopOnSignal::StopOnSignal(core::RunControl& control)
    : m_control(control)
{
    g_signals = 0;
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    m_watcher = std::thread([this] {
        while (!m_done.load()) {
            if (g_signals > 0) {
                std::cerr << "\nstopping after the current step (Ctrl-C again to quit at once)…" << std::endl;
                m_control.requestStop();
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    });
}

StopOnSignal::~StopOnSignal()
{
    m_done = true;
    m_watcher.join();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
}

bool StopOnSignal::interrupted() const
{
    return g_signals > 0;
}

} // namespace distillery::cli

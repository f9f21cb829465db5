// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/timelinebar.h"

#include <distillery/error.h>
#include <distillery/timeline.h>

#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>
#include <QTimer>
#include <QToolButton>

#include <algorithm>

namespace distillery::ui {
namespace {

    constexpr int kReplayFramesPerSecond = 10; // as the exported animation's default

} // namespace

TimelineBar::TimelineBar(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("TimelineBar"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    m_play = new QToolButton;
    m_play->setObjectName(QStringLiteral("timelinePlay"));
    m_play->setToolTip(tr("Replay how the set formed, frame by frame (Alt+P)"));
    m_slider = new QSlider(Qt::Horizontal);
    m_slider->setObjectName(QStringLiteral("timelineSlider"));
    m_slider->setFocusPolicy(Qt::StrongFocus); // arrows, Page Up/Down, Home/End once focused
    m_slider->setToolTip(tr("The run's timeline: drag back to see an earlier set (Alt+Left, Alt+Right); the right end "
                            "follows the latest set"));
    m_label = new QLabel;
    m_label->setObjectName(QStringLiteral("timelineLabel"));
    m_latest = new QToolButton;
    m_latest->setObjectName(QStringLiteral("timelineLatest"));
    m_latest->setText(tr("Latest"));
    m_latest->setToolTip(tr("Show the latest set again and follow the run (Alt+End)"));
    layout->addWidget(m_play);
    layout->addWidget(m_slider, 1);
    layout->addWidget(m_label);
    layout->addWidget(m_latest);

    m_playTimer = new QTimer(this);
    m_playTimer->setInterval(1000 / kReplayFramesPerSecond);
    connect(m_playTimer, &QTimer::timeout, this, [this] {
        later();
        if (m_follow)
            m_playTimer->stop(); // reached the latest set
        showState();
    });
    connect(m_play, &QToolButton::clicked, this, &TimelineBar::togglePlay);
    connect(m_latest, &QToolButton::clicked, this, &TimelineBar::followLatest);
    connect(m_slider, &QSlider::valueChanged, this, [this](int value) {
        if (value != (m_follow ? static_cast<int>(m_iterations.size()) - 1 : m_index))
            showFrame(value);
    });
    showState();
}

void TimelineBar::setRunFolder(const QString& runDir)
{
    m_playTimer->stop();
    m_runDir = runDir;
    m_iterations.clear();
    if (!runDir.isEmpty())
        for (const int iteration : core::timelineIterations(runDir.toStdString()))
            m_iterations.push_back(iteration);
    m_follow = true;
    m_index = std::max(0, static_cast<int>(m_iterations.size()) - 1);
    showState();
}

void TimelineBar::addFrame(int iteration)
{
    const auto at = std::lower_bound(m_iterations.begin(), m_iterations.end(), iteration);
    if (at != m_iterations.end() && *at == iteration)
        return;
    const auto position = static_cast<int>(at - m_iterations.begin());
    m_iterations.insert(position, iteration);
    if (!m_follow && position <= m_index)
        ++m_index; // the same frame stays shown
    showState();
}

void TimelineBar::clear()
{
    setRunFolder(QString());
}

bool TimelineBar::playing() const
{
    return m_playTimer->isActive();
}

void TimelineBar::showFrame(int index)
{
    const auto count = static_cast<int>(m_iterations.size());
    if (count == 0)
        return;
    index = std::clamp(index, 0, count - 1);
    if (index == count - 1) {
        followLatest();
        return;
    }
    try {
        const core::Snapshot frame = core::loadTimelineFrame(m_runDir.toStdString(), m_iterations[index]);
        m_index = index;
        m_follow = false;
        showState();
        Q_EMIT frameChosen(frame);
    } catch (const core::Error& e) {
        m_playTimer->stop();
        showState(); // the slider goes back to the frame still shown
        Q_EMIT problem(QString::fromStdString(e.what()));
    }
}

void TimelineBar::followLatest()
{
    const bool was = m_follow;
    m_follow = true;
    m_index = std::max(0, static_cast<int>(m_iterations.size()) - 1);
    showState();
    if (!was)
        Q_EMIT latestChosen();
}

void TimelineBar::earlier()
{
    showFrame((m_follow ? static_cast<int>(m_iterations.size()) - 1 : m_index) - 1);
}

void TimelineBar::later()
{
    if (!m_follow)
        showFrame(m_index + 1);
}

void TimelineBar::togglePlay()
{
    if (m_playTimer->isActive()) {
        m_playTimer->stop();
    } else if (m_iterations.size() >= 2) {
        if (m_follow)
            showFrame(0); // from the start
        m_playTimer->start();
    }
    showState();
}

void TimelineBar::showState()
{
    const auto count = static_cast<int>(m_iterations.size());
    const bool usable = count >= 2;
    {
        const QSignalBlocker block(m_slider);
        m_slider->setRange(0, std::max(0, count - 1));
        m_slider->setValue(m_follow ? std::max(0, count - 1) : m_index);
    }
    m_slider->setEnabled(usable);
    m_play->setEnabled(usable);
    m_play->setText(m_playTimer->isActive() ? tr("Pause") : tr("Replay"));
    m_latest->setEnabled(!m_follow);
    if (m_runDir.isEmpty())
        m_label->setText(tr("No timeline"));
    else if (count == 0)
        m_label->setText(tr("No timeline frames"));
    else if (m_follow)
        m_label->setText(tr("Latest (%n frame(s) kept)", nullptr, count));
    else
        m_label->setText(tr("Iteration %1 · frame %2 of %3").arg(m_iterations[m_index]).arg(m_index + 1).arg(count));
    setToolTip(m_runDir.isEmpty() ? tr("Runs keep their timeline in their folder; this set has none (a set opened "
                                       "from outside a run folder, or a run without an output folder)")
                                  : QString());
}

} // namespace distillery::ui

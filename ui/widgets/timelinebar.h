// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/snapshot.h>

#include <QString>
#include <QVector>
#include <QWidget>

class QLabel;
class QSlider;
class QTimer;
class QToolButton;

namespace distillery::ui {

/// The run's timeline under the images: a slider over the frames its run folder keeps (core/timeline.h), for live
/// and opened runs alike. At its right end it follows the latest set (the live one while a run goes); anywhere else
/// it shows that frame and stays there while the run goes on. Play replays the formation from the start.
class TimelineBar final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TimelineBar)

public:
    explicit TimelineBar(QWidget* parent = nullptr);

    /// The run folder whose frames to offer (those already there are listed); empty: no timeline.
    void setRunFolder(const QString& runDir);
    /// A new frame of the current run folder was written (Snapshot::timelineFrame).
    void addFrame(int iteration);
    void clear();

    QString runFolder() const { return m_runDir; }
    const QVector<int>& iterations() const { return m_iterations; }
    /// Whether the images follow the latest set (the slider at its right end).
    bool followsLatest() const { return m_follow; }
    /// The frame shown (an index into iterations()), or -1 when following the latest set.
    int shownFrame() const { return m_follow ? -1 : m_index; }
    bool playing() const;

public Q_SLOTS:
    /// Shows frame `index` (the last index means: follow the latest set).
    void showFrame(int index);
    void followLatest();
    void earlier();
    void later();
    /// Replays the frames from the first (or from the one shown) to the latest; again: stop.
    void togglePlay();

Q_SIGNALS:
    /// The user went back to `frame` (read from the run folder); the images should show it.
    void frameChosen(const distillery::core::Snapshot& frame);
    /// Back at the right end: the images should show the latest set again.
    void latestChosen();
    /// A frame could not be read (a damaged file): what to tell the user.
    void problem(const QString& message);

private:
    void showState();

    QString m_runDir;
    QVector<int> m_iterations;
    int m_index = 0;
    bool m_follow = true;
    QToolButton* m_play = nullptr;
    QSlider* m_slider = nullptr;
    QLabel* m_label = nullptr;
    QToolButton* m_latest = nullptr;
    QTimer* m_playTimer = nullptr;
};

} // namespace distillery::ui

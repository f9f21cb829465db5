// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QSpinBox;

namespace distillery::ui {

class ControlPanel;

/// The presentation mode's slim bar: the two settings a lesson changes (method, images per class) and the
/// method's one-sentence summary in large type, in place of the whole settings panel. It edits the panel's
/// request (ControlPanel::selectMethod, setIpc) and follows it, so both always show the same.
class LessonBar final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LessonBar)

public:
    explicit LessonBar(ControlPanel& panel, QWidget* parent = nullptr);

    /// Shows what the panel holds now (after a run or a loaded configuration changed it).
    void follow();
    QString method() const;
    int ipc() const;
    QString summary() const;

private:
    ControlPanel& m_panel;
    QComboBox* m_method = nullptr;
    QSpinBox* m_ipc = nullptr;
    QLabel* m_summary = nullptr;
};

} // namespace distillery::ui

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/animation.h>
#include <distillery/runcontrol.h>

#include <QObject>
#include <QString>

#include <memory>

class QThread;

namespace distillery::ui {

/// Draws a run's formation (core::exportFormation: animated GIF or PNG strip) in a thread of its own, with progress
/// and Cancel, so the window stays responsive and a run can go on meanwhile. One export at a time.
class FormationExporter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FormationExporter)

public:
    explicit FormationExporter(QObject* parent = nullptr);
    ~FormationExporter() override; ///< cancels a running export and waits for it (nothing half-written stays)

    bool busy() const { return m_thread != nullptr; }
    /// Starts drawing `runDir`'s timeline into `path` (.gif or .png); ignored while busy().
    void start(const QString& runDir, const QString& path, const distillery::core::FormationOptions& options = {});
    void cancel();

Q_SIGNALS:
    void progressed(int done, int total);
    /// The export ended: written (`error` empty, `frames` drawn), cancelled, or failed with `error`.
    void finished(const QString& path, int frames, const QString& error, bool cancelled);

private:
    QThread* m_thread = nullptr;
    std::shared_ptr<core::RunControl> m_control;
};

} // namespace distillery::ui

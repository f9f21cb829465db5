// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "controller/formationexporter.h"

#include <distillery/error.h>

#include <QPointer>
#include <QThread>

namespace distillery::ui {

FormationExporter::FormationExporter(QObject* parent)
    : QObject(parent)
{
}

FormationExporter::~FormationExporter()
{
    if (m_thread) {
        m_control->requestStop();
        m_thread->wait();
        delete m_thread;
    }
}

void FormationExporter::start(const QString& runDir, const QString& path, const core::FormationOptions& options)
{
    if (m_thread)
        return;
    m_control = std::make_shared<core::RunControl>();
    const QPointer<FormationExporter> self(this);
    m_thread = QThread::create([self, control = m_control, dir = runDir.toStdString(), file = path.toStdString(), path,
                                   options] {
        int frames = 0;
        QString error;
        bool cancelled = false;
        try {
            frames = core::exportFormation(dir, file, options,
                [&](int done, int total) {
                    QMetaObject::invokeMethod(self, [self, done, total] {
                        if (self)
                            Q_EMIT self->progressed(done, total);
                    }, Qt::QueuedConnection);
                },
                control.get());
        } catch (const core::Cancelled&) {
            cancelled = true;
        } catch (const core::Error& e) {
            error = QString::fromStdString(e.what());
        } catch (const std::exception& e) {
            error = QStringLiteral("internal error: ") + QString::fromUtf8(e.what());
        }
        QMetaObject::invokeMethod(self, [self, path, frames, error, cancelled] {
            if (!self)
                return;
            self->m_thread->wait();
            self->m_thread->deleteLater();
            self->m_thread = nullptr;
            Q_EMIT self->finished(path, frames, error, cancelled);
        }, Qt::QueuedConnection);
    });
    m_thread->start();
}

void FormationExporter::cancel()
{
    if (m_control)
        m_control->requestStop();
}

} // namespace distillery::ui

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/lessonbar.h"

#include "widgets/controlpanel.h"

#include <distillery/methods.h>

#include <QComboBox>
#include <QBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSpinBox>

namespace distillery::ui {

LessonBar::LessonBar(ControlPanel& panel, QWidget* parent)
    : QWidget(parent)
    , m_panel(panel)
{
    setObjectName(QStringLiteral("LessonBar"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 2, 6, 2);
    auto* row = new QHBoxLayout;
    m_method = new QComboBox(this);
    m_method->setObjectName(QStringLiteral("lessonMethod"));
    for (const auto& info : core::availableMethods())
        m_method->addItem(QString::fromStdString(info.title), QString::fromStdString(info.name));
    m_method->setToolTip(tr("How the synthetic images are made"));
    m_ipc = new QSpinBox(this);
    m_ipc->setObjectName(QStringLiteral("lessonIpc"));
    m_ipc->setRange(1, 1000);
    m_ipc->setToolTip(tr("Images per class in the synthetic set"));
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    row->addWidget(new QLabel(tr("Method"), this));
    row->addWidget(m_method);
    row->addWidget(new QLabel(tr("Images per class"), this));
    row->addWidget(m_ipc);
    row->addStretch(1);
    layout->addLayout(row);
    layout->addWidget(m_summary); // the method in one sentence, under the controls

    connect(m_method, qOverload<int>(&QComboBox::currentIndexChanged), this,
        [this] { m_panel.selectMethod(m_method->currentData().toString()); });
    connect(m_ipc, qOverload<int>(&QSpinBox::valueChanged), this, [this](int ipc) { m_panel.setIpc(ipc); });
    connect(&m_panel, &ControlPanel::requestChanged, this, &LessonBar::follow);
    connect(&m_panel, &ControlPanel::methodChanged, this, &LessonBar::follow);
    follow();
}

void LessonBar::follow()
{
    const core::RunConfig request = m_panel.config();
    const QSignalBlocker blockMethod(m_method);
    const QSignalBlocker blockIpc(m_ipc);
    m_method->setCurrentIndex(std::max(0, m_method->findData(QString::fromStdString(request.method))));
    m_ipc->setValue(request.ipc);
    m_method->setEnabled(!m_panel.isRunning());
    m_ipc->setEnabled(!m_panel.isRunning());
    for (const auto& info : core::availableMethods())
        if (info.name == request.method)
            m_summary->setText(QString::fromStdString(info.summary));
}

QString LessonBar::method() const
{
    return m_method->currentData().toString();
}

int LessonBar::ipc() const
{
    return m_ipc->value();
}

QString LessonBar::summary() const
{
    return m_summary->text();
}

} // namespace distillery::ui

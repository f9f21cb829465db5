// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/methodhelp.h"

#include <distillery/methods.h>

namespace distillery::ui {

QString methodExplanation(const QString& method)
{
    // Each method explains itself (MethodInfo::explanation, in its own file): a new method needs nothing here.
    for (const auto& info : core::availableMethods()) {
        if (QString::fromStdString(info.name) != method)
            continue;
        if (!info.explanation.empty())
            return QString::fromStdString(info.explanation);
        return QStringLiteral("<h3>%1</h3><p>%2</p>")
            .arg(QString::fromStdString(info.title).toHtmlEscaped(), QString::fromStdString(info.summary).toHtmlEscaped());
    }
    return {};
}

} // namespace distillery::ui

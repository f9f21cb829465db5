// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// The only file that includes <qcustomplot.h>: QCustomPlot 2.1 uses bare `signals:` and `foreach`, which our
// QT_NO_KEYWORDS / QT_NO_FOREACH defines remove, so map them for this header alone.
#pragma once

#include <QtPrintSupport/QtPrintSupport>
#include <QtWidgets/QtWidgets> // parse every Qt header it needs before the mappings below
#define signals Q_SIGNALS
#define foreach(decl, range) for (decl : range) // used only by two header templates
#include <qcustomplot.h>
#undef foreach
#undef signals

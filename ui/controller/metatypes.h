// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// Core's plain value types travel on queued signals; the controller registers them once.
#pragma once

#include <distillery/config.h>
#include <distillery/datasets.h>
#include <distillery/evalresult.h>
#include <distillery/privacy.h>
#include <distillery/session.h>
#include <distillery/snapshot.h>
#include <distillery/stepstats.h>
#include <distillery/syntheticset.h>

#include <QList>
#include <QMetaType>

Q_DECLARE_METATYPE(distillery::core::RunConfig)
Q_DECLARE_METATYPE(distillery::core::DatasetInfo)
Q_DECLARE_METATYPE(distillery::core::StepStats)
Q_DECLARE_METATYPE(QList<distillery::core::StepStats>)
Q_DECLARE_METATYPE(distillery::core::Snapshot)
Q_DECLARE_METATYPE(distillery::core::EvalResult)
Q_DECLARE_METATYPE(distillery::core::RunResult)
Q_DECLARE_METATYPE(distillery::core::RunHistory)
Q_DECLARE_METATYPE(distillery::core::SyntheticSet)
Q_DECLARE_METATYPE(distillery::core::PrivacyOptions)

namespace distillery::ui {

/// Registers the types above with Qt's meta-type system (idempotent).
void registerMetaTypes();

} // namespace distillery::ui

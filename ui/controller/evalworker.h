// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "controller/metatypes.h"

#include <distillery/evaluation.h>
#include <distillery/privacy.h>
#include <distillery/runcontrol.h>

#include <QObject>
#include <QString>

#include <memory>

namespace distillery::ui {

/// Evaluations beside a run, in their own thread, so distillation never waits for them: quick evaluations of
/// copies of the synthetic set and the baselines (random real at the same IPC, full data). Keeps the last data set
/// loaded between jobs.
class EvalWorker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EvalWorker)

public:
    enum class Job
    {
        Synthetic,
        RandomReal,
        FullData,
    };
    Q_ENUM(Job)

    EvalWorker() = default;
    ~EvalWorker() override;

    /// `config` gives the data, network, protocol, device and seed; `set` is used for Job::Synthetic only. With a
    /// `recordIn` run folder, the result is also written to its metrics.jsonl (so a reopened run shows it).
    void evaluate(quint64 runId, distillery::ui::EvalWorker::Job job, const distillery::core::RunConfig& config,
        const distillery::core::SyntheticSet& set, std::shared_ptr<distillery::core::RunControl> control,
        const QString& recordIn);

    /// The privacy inspector on `set` (docs/privacy.md), with the data, network and protocol of `options`.
    void inspect(quint64 runId, const distillery::core::SyntheticSet& set, const distillery::core::PrivacyOptions& options,
        std::shared_ptr<distillery::core::RunControl> control);

Q_SIGNALS:
    void inspected(quint64 runId, const distillery::core::PrivacyReport& report);
    void inspectionProgressed(quint64 runId, const QString& stage, int done, int total);
    void inspectionFailed(quint64 runId, const QString& message);
    /// `recordProblem` is empty, or why the result could not be written to the run folder.
    void evaluated(quint64 runId, distillery::ui::EvalWorker::Job job, const distillery::core::EvalResult& result,
        const QString& recordProblem);
    void progressed(quint64 runId, distillery::ui::EvalWorker::Job job, int done, int total);
    /// The job ended without a result: an error (message), or cancelled (empty message).
    void failed(quint64 runId, distillery::ui::EvalWorker::Job job, const QString& message);

private:
    core::Evaluator& evaluatorFor(const core::RunConfig& config);

    std::unique_ptr<core::Evaluator> m_evaluator;
    QString m_evaluatorKey;
};

} // namespace distillery::ui

Q_DECLARE_METATYPE(distillery::ui::EvalWorker::Job)
Q_DECLARE_METATYPE(distillery::core::PrivacyReport)

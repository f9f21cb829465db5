// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "controller/evalworker.h"

#include <distillery/error.h>

namespace distillery::ui {

EvalWorker::~EvalWorker() = default;

core::Evaluator& EvalWorker::evaluatorFor(const core::RunConfig& config)
{
    const QString key = QString::fromStdString(config.data.source + "|" + std::to_string(config.data.imageSize) + "|"
        + config.data.color + "|" + std::to_string(config.data.testFraction) + "|"
        + std::to_string(config.data.splitSeed) + "|" + config.device);
    if (!m_evaluator || key != m_evaluatorKey) {
        m_evaluator.reset(); // free the old data set first
        m_evaluator = std::make_unique<core::Evaluator>(config.data, config.device, config.threads);
        m_evaluatorKey = key;
    }
    return *m_evaluator;
}

void EvalWorker::evaluate(quint64 runId, Job job, const core::RunConfig& config, const core::SyntheticSet& set,
    std::shared_ptr<core::RunControl> control, const QString& recordIn)
{
    try {
        core::Evaluator& evaluator = evaluatorFor(config);
        const core::EvalProgressFn progress = [&](const core::EvalProgress& p) {
            Q_EMIT progressed(runId, job, p.model * p.epochs + p.epoch, p.models * p.epochs);
        };
        core::EvalResult result;
        switch (job) {
        case Job::Synthetic:
            result = evaluator.evaluate(set, config.model, config.eval, config.seed, progress, control.get());
            result.iteration = std::stoi(set.metadata.count("iteration") ? set.metadata.at("iteration") : "0");
            break;
        case Job::RandomReal:
            result = evaluator.randomSubset(config.ipc, config.model, config.eval, config.seed, progress, control.get());
            break;
        case Job::FullData:
            result = evaluator.fullData(config.model, config.eval, config.seed, progress, control.get());
            break;
        }
        QString recordProblem;
        if (!recordIn.isEmpty()) {
            try {
                core::appendRunEvaluation(recordIn.toStdString(), result);
            } catch (const core::Error& e) {
                recordProblem = QString::fromStdString(e.what());
            }
        }
        Q_EMIT evaluated(runId, job, result, recordProblem);
    } catch (const core::Cancelled&) {
        // A newer run or a closing window cancelled it: no message, but the job is over.
        Q_EMIT failed(runId, job, QString());
    } catch (const std::exception& e) {
        Q_EMIT failed(runId, job, QString::fromStdString(e.what()));
    }
}

void EvalWorker::inspect(quint64 runId, const core::SyntheticSet& set, const core::PrivacyOptions& options,
    std::shared_ptr<core::RunControl> control)
{
    try {
        const auto progress = [&](const core::PrivacyProgress& p) {
            Q_EMIT inspectionProgressed(runId, QString::fromStdString(p.stage), p.done, p.total);
        };
        Q_EMIT inspected(runId, core::inspectPrivacy(set, options, progress, control.get()));
    } catch (const core::Cancelled&) {
        Q_EMIT inspectionFailed(runId, QString());
    } catch (const std::exception& e) {
        Q_EMIT inspectionFailed(runId, QString::fromStdString(e.what()));
    }
}

} // namespace distillery::ui

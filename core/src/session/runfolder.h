// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/config.h>
#include <distillery/evalresult.h>
#include <distillery/stepstats.h>
#include <distillery/syntheticset.h>

#include <fstream>
#include <string>

namespace distillery::core {

/// The files of one run (ARCHITECTURE.md): config.json, metrics.jsonl (one JSON object per line),
/// checkpoint.safetensors, and at the end synthetic.safetensors, synthetic.npz and grid.png.
class RunFolder final
{
public:
    /// Creates `<outDir>/<date>-<time>-<method>-ipc<N>-<dataset>` (with a suffix if taken) and writes config.json.
    RunFolder(const RunConfig& config, const std::string& datasetName);

    const std::string& path() const { return m_path; }

    void appendStep(const StepStats& stats);
    void appendEval(const EvalResult& result);
    void flushMetrics();

    void writeCheckpoint(const SyntheticSet& set);
    /// synthetic.safetensors always; synthetic.npz and grid.png when the build can write them.
    void writeFinal(const SyntheticSet& set);

private:
    std::string m_path;
    std::ofstream m_metrics;
};

} // namespace distillery::core

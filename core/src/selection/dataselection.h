// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// Data selection before distillation (docs/methods.md §10): which real training images a method may draw from.
#pragma once

#include "data/dataset.h"

#include <distillery/config.h>
#include <distillery/stageprogress.h>

#include <torch/torch.h>

#include <functional>
#include <string>

namespace distillery::core {

class RunControl;

/// One class under BiLP's rule: its training indices in drop order (the first `dropped` of them go).
struct ClassOrder
{
    torch::Tensor order; ///< int64, CPU
    std::int64_t dropped = 0;
};

/// BiLP's rule: per class c with n_c images, its images ordered by `scores` ascending (drop-easiest) or descending
/// (drop-hardest), or at random from `seed` (drop-random; `scores` unused), of which the first ⌊fraction · n_c⌋ are
/// dropped. Ties keep the index order, so the result is reproducible.
std::vector<ClassOrder> orderClasses(const torch::Tensor& labels, int classes, const std::string& rule, double fraction,
    const torch::Tensor& scores, std::uint64_t seed);

/// The kept training indices (int64, ascending, CPU) of orderClasses.
torch::Tensor selectKept(const torch::Tensor& labels, int classes, const std::string& rule, double fraction,
    const torch::Tensor& scores, std::uint64_t seed);

/// What a run's selection kept, as recorded in its folder (`selection.safetensors`, docs/formats.md).
struct DataSelection
{
    std::string rule; ///< drop-hardest | drop-easiest | drop-random
    double fraction = 0;
    std::string score; ///< converged | early | "" (drop-random)
    torch::Tensor kept; ///< int64, ascending, CPU
    torch::Tensor scores; ///< float32 N (every training image's), CPU; undefined for drop-random
    torch::Tensor droppedExamples; ///< int64 training indices shown for people (RunSelection), class-major
    torch::Tensor keptExamples;
};

/// The examples RunSelection describes, from the classes' orders.
void chooseExamples(DataSelection& selection, const std::vector<ClassOrder>& classes);

std::string selectionPath(const std::string& runDir);
/// With `data`'s labels, class names and the examples' display pixels.
void saveDataSelection(const std::string& path, const DataSelection& selection, const Dataset& data);
/// Error naming the file when it is damaged or does not fit a training split of `images` images.
DataSelection loadDataSelection(const std::string& path, std::int64_t images);

/// Applies `config.data`'s selection to `data` (Dataset::keepOnly) and says what it kept through `log`. A resumed
/// run (`resuming`) reads the kept indices its folder recorded; otherwise the loss scores come from the cache
/// (`config.scoresDir`) or are computed (stage "scoring the training images") and cached, the rule is applied, and
/// the result is written to `runDir` (when not empty). Error naming the class and the numbers when a class keeps
/// fewer images than the run needs (`config.ipc`, the method's real batch per class).
void applyDataSelection(Dataset& data, const RunConfig& config, const std::string& runDir, bool resuming,
    const std::function<void(const std::string&)>& log, const StageProgressFn& progress, const RunControl* control);

} // namespace distillery::core

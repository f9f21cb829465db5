// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "data/dataset.h"

#include <distillery/config.h>
#include <distillery/experts.h>
#include <distillery/stageprogress.h>

#include <torch/torch.h>

#include <functional>
#include <list>
#include <optional>
#include <string>
#include <utility>

namespace distillery::core {

class RunControl;

/// What determines an expert trajectory (docs/methods.md §7.1), and so names its cache entry. Expert n is
/// initialised and shuffled from seed n, whatever the run's seed: runs of any seed share one cache.
struct ExpertKey
{
    std::string dataName; ///< for people: "Fashion-MNIST"
    std::string fingerprint; ///< the data set's (DatasetInfo::fingerprint)
    int channels = 0, height = 0, width = 0, classes = 0;
    ModelConfig model;
    std::string augment; ///< DSA strategy per minibatch, or "none"
    int epochs = 0; ///< epochs trained and stored (snapshots 0…epochs)
    double lr = 0.01; ///< plain SGD, no momentum, no weight decay
    int batchSize = 256;
    std::string precision = "fp32"; ///< storage: fp32 | fp16

    /// Canonical JSON text (sorted keys): equal keys, equal text.
    std::string json() const;
    /// The folder name: readable parts and a CRC-32 of json().
    std::string id() const;
    std::string description() const;
};

/// How far an expert's training got, so that a stop or a kill loses little: the snapshots of the finished epochs,
/// the parameters now, and the batches done of the epoch in training. Training resumes from it exactly (every batch
/// draws its order and augmentation from seeds of its own, and plain SGD keeps no other state).
struct ExpertProgress
{
    torch::Tensor trajectory; ///< float32 (epoch + 1) × P on the CPU: snapshots 0…epoch
    torch::Tensor theta; ///< float32 P on the CPU: the parameters after `batch` batches of epoch `epoch`
    int epoch = 0; ///< the epoch in training, 0-based
    long batch = 0; ///< its batches done
};

/// One cache entry on disk: `<dir>/<key.id()>/key.json` and `expert-NNNN.safetensors`, each expert file complete
/// or absent (written atomically once its training has finished). An expert stopped part-way leaves
/// `progress-NNNN.safetensors` beside them, never read as an expert, only to continue its training.
class ExpertStore final
{
public:
    ExpertStore(const std::string& dir, ExpertKey key);

    const ExpertKey& key() const { return m_key; }
    const std::string& folder() const { return m_folder; }
    std::string file(int index) const;
    bool has(int index) const;
    /// Bytes of one expert file (for the size announced before building).
    std::int64_t bytesPerExpert(std::int64_t parameters) const;

    /// The trajectory of expert `index`: float32 (epochs+1) × P on the CPU. Error naming the file when it is
    /// damaged or was trained for another key or parameter count.
    torch::Tensor load(int index, std::int64_t parameters) const;
    /// Writes it atomically (key.json first, once); Error naming the file on a full disk.
    void save(int index, const torch::Tensor& trajectory) const;

    std::string progressFile(int index) const;
    /// Writes how far expert `index` got, atomically; Error naming the file on a full disk.
    void saveProgress(int index, const ExpertProgress& progress) const;
    /// The progress kept for expert `index`, or nothing. One that does not fit this key or parameter count, or
    /// cannot be read, is removed (`log` says so): it only ever saves time, so the expert starts over instead.
    std::optional<ExpertProgress> loadProgress(
        int index, std::int64_t parameters, const std::function<void(const std::string&)>& log) const;
    void removeProgress(int index) const;

private:
    std::string m_folder;
    ExpertKey m_key;
};

/// Trains one expert (buffer.py): a fresh network from seed `index`, plain SGD at key.lr, batch key.batchSize over
/// the whole training split each epoch, reshuffled, non-Siamese DSA per minibatch, and its flat parameters after
/// every epoch (snapshot 0 = the initialisation). `progress` gets batches done of this expert. `keep` (may be empty)
/// is handed where the training stands every kKeepExpertSeconds of training and when a stop request ends it
/// (Cancelled, within one batch); `from` continues such a state and gives the same trajectory as an uninterrupted
/// run.
torch::Tensor trainExpert(const Dataset& data, const ExpertKey& key, int index,
    const std::function<void(long done, long total)>& progress, const RunControl* control,
    const ExpertProgress* from = nullptr, const std::function<void(const ExpertProgress&)>& keep = {});

/// How much expert training a kill may lose at most (issue 16: about 30 s of work).
constexpr double kKeepExpertSeconds = 30;

/// Makes sure experts 0…count−1 exist in `store`, training the missing ones (reported as the stage "training
/// expert trajectories" in batches, with a log line giving the disk size first).
void ensureExperts(const Dataset& data, const ExpertStore& store, int count, std::int64_t parameters,
    const std::function<void(const std::string&)>& log, const StageProgressFn& progress, const RunControl* control);

/// Experts in memory, the most recently used kept within a byte budget, the rest read again when needed.
class ExpertCache final
{
public:
    ExpertCache(const ExpertStore& store, std::int64_t parameters, std::int64_t budgetBytes);
    /// Snapshot `epoch` of expert `index` (float32, P, on the CPU).
    torch::Tensor snapshot(int index, int epoch);

private:
    const ExpertStore& m_store;
    std::int64_t m_parameters;
    std::int64_t m_budget;
    std::list<std::pair<int, torch::Tensor>> m_loaded; ///< most recent first
};

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "data/dataset.h"

#include <distillery/config.h>
#include <distillery/experts.h>
#include <distillery/stageprogress.h>

#include <torch/torch.h>

#include <list>
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

/// One cache entry on disk: `<dir>/<key.id()>/key.json` and `expert-NNNN.safetensors`, each expert file complete
/// or absent (written atomically once its training has finished).
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

private:
    std::string m_folder;
    ExpertKey m_key;
};

/// Trains one expert (buffer.py): a fresh network from seed `index`, plain SGD at key.lr, batch key.batchSize over
/// the whole training split each epoch, reshuffled, non-Siamese DSA per minibatch, and its flat parameters after
/// every epoch (snapshot 0 = the initialisation). `progress` gets batches done of this expert; a stop request
/// ends it within one batch (Cancelled) and nothing is kept.
torch::Tensor trainExpert(const Dataset& data, const ExpertKey& key, int index,
    const std::function<void(long done, long total)>& progress, const RunControl* control);

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

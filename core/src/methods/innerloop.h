// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "augment/dsa.h"
#include "nn/network.h"
#include "util/cudagraph.h"

#include <torch/torch.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace distillery::core {

/// How InnerLoop runs the same training.
enum class InnerLoopMode
{
    /// The reference's loop: an optimizer, backward(), one augmentation group drawn per batch and only its parameters.
    Reference,
    /// Every minibatch step is one fixed-shape body over static buffers without host synchronisation: the shuffled
    /// indices are copied into a buffer, the gradient comes from autograd::grad and the SGD update is in place, and
    /// the augmentation computes every group of the strategy and keeps the drawn one (Dsa::applyChosen), so the
    /// body has no host branch. Run eagerly — the CPU can test exactly what a graph captures.
    FixedShape,
    /// FixedShape's body captured in one CUDA graph per batch size and replayed (CUDA only): a step's ~150 small
    /// kernel launches become one graph launch. The graphs are captured at the first train() and reused for the
    /// whole run, because the network is re-initialised in place and the synthetic images are updated in place.
    Graphed,
};

/// DC/DSA's inner loop (docs/methods.md §4): `epochs` epochs of plain SGD on the network over the detached synthetic
/// set, minibatches of `batch` in a fresh random order every epoch, with per-image augmentation for DSA.
class InnerLoop final
{
public:
    /// `images` and `labels` are the synthetic set (read at every step, so in-place updates of the images are
    /// seen); `augment` may be null (DC). Graphed on a device that cannot capture graphs becomes Reference, with
    /// the reason in fallbackReason().
    InnerLoop(NetworkImpl& net, torch::Tensor images, torch::Tensor labels, Dsa* augment, double lr, bool channelsLast,
        InnerLoopMode mode, std::int64_t batch = 256);
    ~InnerLoop();

    void train(int epochs);

    /// Graphed: warm up and capture now (train() does it at its first call). Restores the network's parameters
    /// afterwards, so the warm-up steps leave no trace. A capture that fails switches to Reference (fallbackReason).
    void prepare();

    /// prepare() has run (train() runs it first).
    bool prepared() const { return m_prepared; }
    InnerLoopMode mode() const { return m_mode; }
    /// Why Graphed was given up for Reference; empty when it was not.
    const std::string& fallbackReason() const { return m_fallbackReason; }

private:
    /// The epochs' shuffled minibatches (a fresh order every epoch, the last batch of an epoch possibly smaller),
    /// handed to `step` as row indices — the same random draws in every mode.
    void forEachBatch(int epochs, const std::function<void(const torch::Tensor&)>& step);
    void trainReference(int epochs);
    void trainFixedShape(int epochs);
    /// One SGD step on the rows in `m_index[size]`, with augmentation group `m_choice` — the captured body.
    void fixedShapeStep(std::int64_t size);
    std::vector<std::int64_t> batchSizes() const;

    NetworkImpl& m_net;
    torch::Tensor m_images;
    torch::Tensor m_labels;
    Dsa* m_augment;
    double m_lr;
    bool m_channelsLast;
    InnerLoopMode m_mode;
    std::int64_t m_batch;
    std::vector<torch::Tensor> m_parameters;
    std::unique_ptr<torch::optim::SGD> m_optimizer; ///< Reference only
    // Fixed-shape buffers, one per batch size (a full batch and the epoch's remainder).
    std::map<std::int64_t, torch::Tensor> m_index;
    torch::Tensor m_choice; ///< the augmentation group's position in the strategy, on the device
    std::map<std::int64_t, std::unique_ptr<CudaGraph>> m_graphs;
    bool m_prepared = false;
    std::string m_fallbackReason;
};

} // namespace distillery::core

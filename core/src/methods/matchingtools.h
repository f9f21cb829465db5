// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// Pieces shared by the methods that learn synthetic images (DM, DC, DSA).
#pragma once

#include "data/dataset.h"
#include "io/synthetictensors.h"
#include "nn/network.h"

#include <torch/torch.h>

#include <string>
#include <vector>

namespace distillery::core {

/// The starting synthetic set, class-major: `init` "real" copies random real images of each class (their
/// indices recorded), "noise" draws N(0, 1) in normalised space. Images come back as a leaf that requires grad.
SyntheticTensors initialSyntheticSet(const Dataset& data, int ipc, const std::string& init);

/// Draws fresh parameters in place with the framework's default initialisation (the distribution a new network
/// has), on the network's device: cheaper than building a new network every step on a GPU.
void reinitialise(NetworkImpl& net);

/// NHWC weights for the network's convolutions (PerformanceConfig::channelsLast); in-place re-initialisation
/// keeps the layout.
void useChannelsLast(NetworkImpl& net);

/// `x` in NHWC when `channelsLast`, else unchanged (differentiable).
torch::Tensor withLayout(const torch::Tensor& x, bool channelsLast);

/// DC's layer-wise distance (METHODS.md §4, `dis_metric='ours'`): per tensor, rows = output units, summed
/// 1 − cosine over rows; 1-D tensors (biases, norm affines) contribute 0. `mse` and `cos` are the alternatives.
torch::Tensor gradientDistance(const std::vector<torch::Tensor>& synthetic, const std::vector<torch::Tensor>& real,
    const std::string& metric = "ours");

/// The IPC rows of the reference (outer, inner) table (METHODS.md §4); an IPC not in the table takes the nearest
/// listed one (ties: the smaller), a documented Distillery choice.
std::pair<int, int> referenceLoops(int ipc);

/// The images of class `c` in a class-major synthetic set.
torch::Tensor classSlice(const torch::Tensor& images, int c, int ipc);

} // namespace distillery::core

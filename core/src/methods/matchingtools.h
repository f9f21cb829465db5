// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// Pieces shared by the methods that learn synthetic images (DM, DC, DSA).
#pragma once

#include "data/dataset.h"
#include "data/synthetictensors.h"
#include "nn/network.h"

#include <torch/torch.h>

#include <map>
#include <string>
#include <vector>

namespace distillery::core {

/// The starting synthetic set, class-major: `init` "real" copies random real images of each class (their
/// indices recorded), "noise" draws N(0, 1) in normalised space. Images come back as a leaf that requires grad.
SyntheticTensors initialSyntheticSet(const Dataset& data, int ipc, const std::string& init);

/// Throws Error naming params.realBatch when a class has fewer training images than one real batch takes.
void checkRealBatchFits(const DatasetInfo& info, int realBatch);

/// Draws fresh parameters in place with the framework's default initialisation (the distribution a new network
/// has), on the network's device: cheaper than building a new network every step on a GPU.
void reinitialise(NetworkImpl& net);

/// NHWC weights for the network's convolutions (PerformanceConfig::channelsLast); in-place re-initialisation
/// keeps the layout.
void useChannelsLast(NetworkImpl& net);

/// `x` in NHWC when `channelsLast`, else unchanged (differentiable).
torch::Tensor withLayout(const torch::Tensor& x, bool channelsLast);

/// DC's layer-wise distance (docs/methods.md §4, `dis_metric='ours'`): per tensor, rows = output units, summed
/// 1 − cosine over rows; 1-D tensors (biases, norm affines) contribute 0. `mse` and `cos` are the alternatives.
torch::Tensor gradientDistance(const std::vector<torch::Tensor>& synthetic, const std::vector<torch::Tensor>& real,
    const std::string& metric = "ours");

/// The IPC rows of the reference (outer, inner) table (docs/methods.md §4); an IPC not in the table takes the nearest
/// listed one (ties: the smaller), a documented Distillery choice.
std::pair<int, int> referenceLoops(int ipc);

/// SGD with momentum (no dampening) on the synthetic images: torch::optim::SGD's arithmetic, with the momentum
/// buffer in the open so a checkpoint can keep it and a resumed run continue exactly where it stopped.
class ImageSgd final
{
public:
    ImageSgd(torch::Tensor images, double lr, double momentum);

    /// Drops the images' gradient, so the next backward() writes a fresh one.
    void zeroGrad();
    /// One update from the images' gradient, in place.
    void step();

    /// Undefined before the first step.
    const torch::Tensor& momentumBuffer() const { return m_buffer; }
    /// A buffer of the images' shape (from a checkpoint); undefined restarts the momentum.
    void setMomentumBuffer(const torch::Tensor& buffer);

private:
    torch::Tensor m_images;
    double m_lr;
    double m_momentum;
    torch::Tensor m_buffer;
};

/// Copies checkpointed images into the method's own (in place: optimizers and captured CUDA graphs keep pointing at
/// them). Throws Error when the shapes differ.
void restoreImages(const torch::Tensor& images, const torch::Tensor& saved);

/// The names Method::resumeState() uses for ImageSgd's buffer.
inline constexpr const char* kImageMomentumState = "image_momentum";

/// ImageSgd's buffer as resume state (empty before the first step), and back.
std::map<std::string, torch::Tensor> imageMomentumState(const ImageSgd& optimizer);
void restoreImageMomentum(ImageSgd& optimizer, const std::map<std::string, torch::Tensor>& state);

/// The images of class `c` in a class-major synthetic set.
torch::Tensor classSlice(const torch::Tensor& images, int c, int ipc);

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/augment.h>

#include <torch/torch.h>

#include <random>
#include <string>
#include <vector>

namespace distillery::core {

/// The random draws of one DSA call: which group of the strategy, and its parameters. Each parameter tensor
/// has one entry per image, or a single entry shared by all images (Siamese).
struct DsaDraw
{
    enum class Group
    {
        Color,
        Crop,
        Cutout,
        Flip,
        Scale,
        Rotate,
    };
    Group group = Group::Color;
    std::vector<torch::Tensor> values;
};

/// Differentiable Siamese augmentation (docs/methods.md §1.3), 'S' mode: every call applies one group, chosen
/// uniformly from the strategy string. Every operation is differentiable with respect to the images; fill
/// values are 0 in normalised space (the data set mean).
class Dsa final
{
public:
    /// `seed` drives the group choice (host side); parameter draws use torch's generator of the images'
    /// device, which the session seeds.
    Dsa(const std::string& strategy, std::uint64_t seed);

    /// Non-Siamese: one group for the batch, parameters per image (evaluation, inner loops).
    torch::Tensor operator()(const torch::Tensor& x);

    /// Siamese: one group and one parameter set for every image of every batch (matching real and synthetic).
    std::vector<torch::Tensor> siamese(const std::vector<torch::Tensor>& batches);

    /// Draws a group and parameters for `n` images (n = 1: shared) of size h×w on `device`.
    DsaDraw draw(std::int64_t n, std::int64_t h, std::int64_t w, torch::Device device);
    static torch::Tensor apply(const torch::Tensor& x, const DsaDraw& draw);

    /// The position in the strategy of the next group: the host-side choice draw() makes (same sequence).
    std::size_t chooseGroupIndex();
    const std::vector<DsaDraw::Group>& groups() const { return m_groups; }

    /// Parameters of `group` for `n` images: the device-side half of draw().
    static DsaDraw drawGroup(DsaDraw::Group group, std::int64_t n, std::int64_t h, std::int64_t w, torch::Device device);

    /// Fixed-shape augmentation (CUDA graphs, InnerLoop): one draw per group of the strategy, in strategy order,
    /// consuming no host randomness...
    std::vector<DsaDraw> drawEveryGroup(std::int64_t n, std::int64_t h, std::int64_t w, torch::Device device) const;
    /// ...and every draw applied, keeping the one at position `choice` (a one-element int64 tensor on x's
    /// device): the result of apply(x, draws[choice]) without a host branch, so one captured graph serves every
    /// group. Costs an augmentation per group, small next to the network's step.
    static torch::Tensor applyChosen(const torch::Tensor& x, const std::vector<DsaDraw>& draws, const torch::Tensor& choice);

    const std::string& strategy() const { return m_strategy; }

    /// Restarts the group choice from `seed` (methods reseed per iteration, so a run never depends on how many
    /// draws came before).
    void reseed(std::uint64_t seed) { m_rng.seed(seed); }

private:
    std::string m_strategy;
    std::vector<DsaDraw::Group> m_groups;
    std::mt19937_64 m_rng;
};

/// A draw of one parameter set per class, repeated for that class's `rows` consecutive rows of a class-major batch
/// (Siamese within each class, independent between classes).
DsaDraw repeatRows(const DsaDraw& perClass, std::int64_t rows);

/// Row `index` of a draw (one image's, or one class's, parameters).
DsaDraw selectRow(const DsaDraw& draw, std::int64_t index);

/// The individual operations, with explicit parameters (shape N or 1). Exposed for tests and teaching panels.
namespace dsaop {
    torch::Tensor brightness(const torch::Tensor& x, const torch::Tensor& u);
    torch::Tensor saturation(const torch::Tensor& x, const torch::Tensor& u);
    torch::Tensor contrast(const torch::Tensor& x, const torch::Tensor& u);
    torch::Tensor crop(const torch::Tensor& x, const torch::Tensor& shiftH, const torch::Tensor& shiftW);
    torch::Tensor cutout(const torch::Tensor& x, const torch::Tensor& centreH, const torch::Tensor& centreW);
    torch::Tensor flip(const torch::Tensor& x, const torch::Tensor& u);
    torch::Tensor scale(const torch::Tensor& x, const torch::Tensor& sx, const torch::Tensor& sy);
    torch::Tensor rotate(const torch::Tensor& x, const torch::Tensor& radians);
} // namespace dsaop

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "methods/matchingtools.h"

#include <distillery/error.h>

#include <cmath>

namespace distillery::core {

SyntheticTensors initialSyntheticSet(const Dataset& data, int ipc, const std::string& init)
{
    torch::NoGradGuard noGrad;
    const int classes = data.numClasses();
    const auto device = data.device();
    SyntheticTensors t;
    std::vector<torch::Tensor> labels;
    for (int c = 0; c < classes; ++c)
        labels.push_back(torch::full({ipc}, c, torch::TensorOptions().dtype(torch::kInt64).device(device)));
    t.labels = torch::cat(labels);
    if (init == "real") {
        std::vector<torch::Tensor> picked;
        for (int c = 0; c < classes; ++c)
            picked.push_back(data.sampleClassIndices(c, ipc));
        const torch::Tensor index = torch::cat(picked);
        t.images = data.trainImages().index_select(0, index).clone();
        t.initIndices = index.to(torch::kCPU);
    } else if (init == "noise") {
        t.images = torch::randn({static_cast<std::int64_t>(classes) * ipc, data.channels(), data.height(), data.width()},
            torch::TensorOptions().dtype(torch::kFloat32).device(device));
        t.initIndices = torch::full({static_cast<std::int64_t>(classes) * ipc}, -1, torch::kInt64);
    } else {
        throw Error("params.init: \"" + init + "\" is not real or noise");
    }
    t.images.set_requires_grad(true);
    return t;
}

void reinitialise(NetworkImpl& net)
{
    torch::NoGradGuard noGrad;
    net.apply([](torch::nn::Module& m) {
        if (auto* conv = dynamic_cast<torch::nn::Conv2dImpl*>(&m))
            conv->reset_parameters();
        else if (auto* linear = dynamic_cast<torch::nn::LinearImpl*>(&m))
            linear->reset_parameters();
        else if (auto* group = dynamic_cast<torch::nn::GroupNormImpl*>(&m))
            group->reset_parameters();
        else if (auto* batch = dynamic_cast<torch::nn::BatchNorm2dImpl*>(&m))
            batch->reset_parameters();
    });
}

void useChannelsLast(NetworkImpl& net)
{
    torch::NoGradGuard noGrad;
    for (auto& p : net.parameters())
        if (p.dim() == 4)
            p.set_data(p.contiguous(at::MemoryFormat::ChannelsLast));
}

torch::Tensor withLayout(const torch::Tensor& x, bool channelsLast)
{
    return channelsLast ? x.contiguous(at::MemoryFormat::ChannelsLast) : x;
}

torch::Tensor gradientDistance(const std::vector<torch::Tensor>& synthetic, const std::vector<torch::Tensor>& real,
    const std::string& metric)
{
    if (synthetic.size() != real.size())
        throw Error("gradient distance: " + std::to_string(synthetic.size()) + " synthetic vs "
            + std::to_string(real.size()) + " real gradient tensors");
    if (metric == "mse" || metric == "cos") {
        std::vector<torch::Tensor> s, r;
        for (std::size_t i = 0; i < synthetic.size(); ++i) {
            s.push_back(synthetic[i].reshape({-1}));
            r.push_back(real[i].reshape({-1}));
        }
        const torch::Tensor gs = torch::cat(s), gr = torch::cat(r);
        if (metric == "mse")
            return (gs - gr).pow(2).sum();
        return 1 - (gs * gr).sum() / (gs.norm() * gr.norm() + 1e-6);
    }
    if (metric != "ours")
        throw Error("gradient distance: unknown metric \"" + metric + "\" (use ours, mse or cos)");
    torch::Tensor total;
    for (std::size_t i = 0; i < synthetic.size(); ++i) {
        const auto& gs = synthetic[i];
        const auto& gr = real[i];
        if (gs.dim() <= 1)
            continue; // biases and norm affines are ignored by the reference distance
        // Rows = output units: conv out×(in·kh·kw), 3-D C×(h·w), linear as is.
        const torch::Tensor s = gs.reshape({gs.size(0), -1});
        const torch::Tensor r = gr.reshape({gr.size(0), -1});
        const torch::Tensor d
            = (1 - (s * r).sum(-1) / (s.norm(2, {-1}) * r.norm(2, {-1}) + 1e-6)).sum();
        total = total.defined() ? total + d : d;
    }
    if (!total.defined())
        throw Error("gradient distance: no tensor of rank 2 or more to compare");
    return total;
}

void checkRealBatchFits(const DatasetInfo& info, int realBatch)
{
    for (std::size_t c = 0; c < info.trainPerClass.size(); ++c)
        if (info.trainPerClass[c] < realBatch)
            throw Error("params.realBatch: " + std::to_string(realBatch) + " real images per class and step are more "
                + "than class \"" + info.classNames[c] + "\" of " + info.source + " holds ("
                + std::to_string(info.trainPerClass[c]) + " training images); set a smaller real batch");
}

std::pair<int, int> referenceLoops(int ipc)
{
    static const int kTable[][3] = {{1, 1, 1}, {10, 10, 50}, {20, 20, 25}, {30, 30, 20}, {40, 40, 15}, {50, 50, 10}};
    const int* best = kTable[0];
    for (const auto& row : kTable)
        if (std::abs(row[0] - ipc) < std::abs(best[0] - ipc))
            best = row;
    return {best[1], best[2]};
}

ImageSgd::ImageSgd(torch::Tensor images, double lr, double momentum)
    : m_images(std::move(images))
    , m_lr(lr)
    , m_momentum(momentum)
{
}

void ImageSgd::zeroGrad()
{
    m_images.mutable_grad() = torch::Tensor();
}

void ImageSgd::step()
{
    torch::NoGradGuard noGrad;
    const torch::Tensor& grad = m_images.grad();
    if (!grad.defined())
        return; // as torch's SGD: a parameter without a gradient is left alone
    if (!m_buffer.defined())
        m_buffer = torch::clone(grad).detach();
    else
        m_buffer.mul_(m_momentum).add_(grad);
    m_images.add_(m_buffer, -m_lr);
}

void ImageSgd::setMomentumBuffer(const torch::Tensor& buffer)
{
    if (buffer.defined() && !buffer.sizes().equals(m_images.sizes()))
        throw Error("checkpoint: the image momentum's shape does not match the synthetic images");
    m_buffer = buffer.defined() ? buffer.to(m_images.device(), m_images.scalar_type()).clone() : torch::Tensor();
}

void restoreImages(const torch::Tensor& images, const torch::Tensor& saved)
{
    if (!saved.sizes().equals(images.sizes()))
        throw Error("checkpoint: " + std::to_string(saved.size(0)) + " images of its shape, the run has "
            + std::to_string(images.size(0)) + " of another (a different IPC, data set or image size?)");
    torch::NoGradGuard noGrad;
    images.copy_(saved.to(images.device(), images.scalar_type()));
}

std::map<std::string, torch::Tensor> imageMomentumState(const ImageSgd& optimizer)
{
    if (!optimizer.momentumBuffer().defined())
        return {};
    return {{kImageMomentumState, optimizer.momentumBuffer()}};
}

void restoreImageMomentum(ImageSgd& optimizer, const std::map<std::string, torch::Tensor>& state)
{
    const auto it = state.find(kImageMomentumState);
    optimizer.setMomentumBuffer(it != state.end() ? it->second : torch::Tensor());
}

torch::Tensor classSlice(const torch::Tensor& images, int c, int ipc)
{
    return images.slice(0, static_cast<std::int64_t>(c) * ipc, static_cast<std::int64_t>(c + 1) * ipc);
}

} // namespace distillery::core

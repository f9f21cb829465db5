// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "methods/innerloop.h"

#include "methods/matchingtools.h"

#include <distillery/error.h>

namespace distillery::core {

InnerLoop::InnerLoop(NetworkImpl& net, torch::Tensor images, torch::Tensor labels, Dsa* augment, double lr,
    bool channelsLast, InnerLoopMode mode, std::int64_t batch)
    : m_net(net)
    , m_images(std::move(images))
    , m_labels(std::move(labels))
    , m_augment(augment)
    , m_lr(lr)
    , m_channelsLast(channelsLast)
    , m_mode(mode)
    , m_batch(batch)
    , m_parameters(net.parameters())
{
    if (m_batch < 1)
        throw Error("inner loop: batch size " + std::to_string(m_batch) + " is not positive");
    if (m_mode == InnerLoopMode::Graphed && !CudaGraph::supported(m_images.device())) {
        m_mode = InnerLoopMode::Reference;
        m_fallbackReason = m_images.device().is_cuda() ? "CUDA graphs are not built in (a LibTorch without CUDA, or DISTILLERY_CUDA_GRAPHS=OFF)"
                                                       : "CUDA graphs need a CUDA device";
    }
    if (m_mode == InnerLoopMode::Reference)
        return;
    const auto device = m_images.device();
    for (const std::int64_t size : batchSizes())
        m_index[size] = torch::arange(size, torch::TensorOptions().dtype(torch::kInt64).device(device));
    m_choice = torch::zeros({1}, torch::TensorOptions().dtype(torch::kInt64).device(device));
}

InnerLoop::~InnerLoop() = default;

std::vector<std::int64_t> InnerLoop::batchSizes() const
{
    const std::int64_t n = m_images.size(0);
    std::vector<std::int64_t> sizes{std::min(n, m_batch)};
    if (n > m_batch && n % m_batch != 0)
        sizes.push_back(n % m_batch);
    return sizes;
}

void InnerLoop::train(int epochs)
{
    prepare();
    if (m_mode == InnerLoopMode::Reference)
        trainReference(epochs);
    else
        trainFixedShape(epochs);
}

void InnerLoop::forEachBatch(int epochs, const std::function<void(const torch::Tensor&)>& step)
{
    const auto n = m_images.size(0);
    m_net.train();
    for (int epoch = 0; epoch < epochs; ++epoch) {
        const torch::Tensor order
            = torch::randperm(n, torch::TensorOptions().dtype(torch::kInt64).device(m_images.device()));
        for (std::int64_t start = 0; start < n; start += m_batch)
            step(order.slice(0, start, std::min(n, start + m_batch)));
    }
}

void InnerLoop::trainReference(int epochs)
{
    if (!m_optimizer)
        m_optimizer = std::make_unique<torch::optim::SGD>(m_parameters, torch::optim::SGDOptions(m_lr));
    const torch::Tensor images = m_images.detach();
    forEachBatch(epochs, [&](const torch::Tensor& index) {
        torch::Tensor x = images.index_select(0, index);
        if (m_augment) // DSA trains the inner network with per-image augmentation
            x = (*m_augment)(x);
        const torch::Tensor loss = torch::nn::functional::cross_entropy(
            m_net.forward(withLayout(x, m_channelsLast)), m_labels.index_select(0, index));
        m_optimizer->zero_grad();
        loss.backward();
        m_optimizer->step();
    });
}

void InnerLoop::trainFixedShape(int epochs)
{
    forEachBatch(epochs, [&](const torch::Tensor& index) {
        const std::int64_t size = index.size(0);
        m_index.at(size).copy_(index);
        if (m_augment) // the host's group choice, in the same sequence as the reference's
            m_choice.fill_(static_cast<std::int64_t>(m_augment->chooseGroupIndex()));
        if (m_mode == InnerLoopMode::Graphed)
            m_graphs.at(size)->replay();
        else
            fixedShapeStep(size);
    });
}

void InnerLoop::fixedShapeStep(std::int64_t size)
{
    const torch::Tensor& index = m_index.at(size);
    torch::Tensor x = m_images.detach().index_select(0, index);
    if (m_augment)
        x = Dsa::applyChosen(x, m_augment->drawEveryGroup(size, x.size(2), x.size(3), x.device()), m_choice);
    const torch::Tensor loss = torch::nn::functional::cross_entropy(
        m_net.forward(withLayout(x, m_channelsLast)), m_labels.index_select(0, index));
    const std::vector<torch::Tensor> grads = torch::autograd::grad({loss}, m_parameters);
    torch::NoGradGuard noGrad;
    for (std::size_t i = 0; i < m_parameters.size(); ++i)
        m_parameters[i].add_(grads[i], -m_lr); // what torch::optim::SGD does without momentum, in place
}

void InnerLoop::prepare()
{
    if (m_prepared)
        return;
    m_prepared = true;
    if (m_mode != InnerLoopMode::Graphed)
        return;
    // The warm-up steps train the network (and move batch-norm statistics): keep its state to put back.
    std::vector<torch::Tensor> state = m_parameters;
    for (const auto& b : m_net.buffers())
        state.push_back(b);
    std::vector<torch::Tensor> saved;
    {
        torch::NoGradGuard noGrad;
        for (const auto& t : state)
            saved.push_back(t.detach().clone());
    }
    // The warm-ups also draw random numbers: put the generator back too, so a graphed run draws the same numbers
    // whether it captured in its first iteration or (resumed) in a later one.
    at::Generator generator = at::globalContext().defaultGenerator(m_images.device());
    const torch::Tensor rngState = generator.get_state();
    m_net.train(); // the mode is part of what is captured
    try {
        for (const std::int64_t size : batchSizes()) {
            auto graph = std::make_unique<CudaGraph>();
            graph->capture(m_images.device(), [this, size] { fixedShapeStep(size); });
            m_graphs[size] = std::move(graph);
        }
    } catch (const CudaGraphUnrecoverable&) {
        throw; // no fallback can run in this process
    } catch (const Error& e) {
        m_graphs.clear();
        m_mode = InnerLoopMode::Reference;
        m_fallbackReason = e.what();
    }
    torch::NoGradGuard noGrad;
    for (std::size_t i = 0; i < state.size(); ++i)
        state[i].copy_(saved[i]);
    generator.set_state(rngState);
}

} // namespace distillery::core

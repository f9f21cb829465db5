// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/cudagraph.h"

#include <distillery/error.h>

#ifdef DISTILLERY_HAVE_CUDA_GRAPHS
#include <ATen/cuda/CUDAContext.h>
#include <ATen/cuda/CUDAEvent.h>
#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDAGuard.h>
#include <torch/version.h>
#endif

#include <atomic>

namespace distillery::core {
namespace {

    std::atomic<bool> g_cpuEmulation{false};

    bool emulated(const torch::Device& device) { return g_cpuEmulation && !device.is_cuda(); }

} // namespace

void CudaGraph::setCpuEmulation(bool enabled)
{
    g_cpuEmulation = enabled;
}

#ifdef DISTILLERY_HAVE_CUDA_GRAPHS

namespace {

    /// One random draw on `device`, its generator state put back: after a failed capture, LibTorch 2.x may still
    /// count the generator as capturing and refuse every draw ("Offset increment outside graph capture").
    bool randomGeneratorUsable(const torch::Device& device)
    {
        at::Generator generator = at::globalContext().defaultGenerator(device);
        try {
            const torch::Tensor state = generator.get_state();
            torch::empty({1}, torch::TensorOptions().device(device)).uniform_();
            generator.set_state(state);
            return true;
        } catch (const c10::Error&) {
            return false;
        }
    }

} // namespace

struct CudaGraph::Impl
{
    at::cuda::CUDAGraph graph;
    bool captured = false;
    std::function<void()> emulatedBody;
};

CudaGraph::CudaGraph()
    : d(std::make_unique<Impl>())
{
}

CudaGraph::~CudaGraph() = default;

bool CudaGraph::supported(const torch::Device& device)
{
    return emulated(device) || (device.is_cuda() && torch::cuda::is_available());
}

bool CudaGraph::builtIn()
{
    return true;
}

void CudaGraph::capture(const torch::Device& device, const std::function<void()>& body, int warmups)
{
    if (d->captured)
        throw Error("CUDA graphs: already captured");
    if (emulated(device)) {
        for (int i = 0; i < warmups; ++i)
            body();
        d->emulatedBody = body;
        d->captured = true;
        return;
    }
    if (!supported(device))
        throw Error("CUDA graphs: " + device.str() + " is not a CUDA device");
    const c10::cuda::CUDAGuard deviceGuard(device);
    const at::cuda::CUDAStream caller = at::cuda::getCurrentCUDAStream();
    // Capture needs a stream other than the default one; the side stream first waits for the caller's work.
    const at::cuda::CUDAStream side = at::cuda::getStreamFromPool(false, device.index());
    at::cuda::CUDAEvent callerDone;
    callerDone.record(caller);
    callerDone.block(side);
    std::string failure;
    {
        const c10::cuda::CUDAStreamGuard streamGuard(side);
        for (int i = 0; i < warmups; ++i)
            body();
        try {
#if TORCH_VERSION_MAJOR >= 2
            // Thread-local: another thread's CUDA calls (an evaluation beside the run) do not break the capture.
            d->graph.capture_begin({0, 0}, cudaStreamCaptureModeThreadLocal);
#else
            d->graph.capture_begin();
#endif
            try {
                body();
            } catch (const c10::Error& e) {
                failure = e.what_without_backtrace();
            } catch (const std::exception& e) {
                failure = e.what();
            }
            // End the capture even after a failure: it returns the stream to normal work and the allocator's
            // pool routing to normal.
            try {
                d->graph.capture_end();
            } catch (const c10::Error& e) {
                if (failure.empty())
                    failure = e.what_without_backtrace();
            }
        } catch (const c10::Error& e) {
            failure = e.what_without_backtrace();
        }
    }
    at::cuda::CUDAEvent sideDone;
    sideDone.record(side);
    sideDone.block(caller);
    if (!failure.empty()) {
        (void)cudaGetLastError(); // a failed capture leaves an error code behind; it must not surface later
        try {
            d->graph.reset();
        } catch (const c10::Error&) {
            // nothing was captured; what reset() would free is the graph's memory pool, which the next capture reuses
        }
        if (!randomGeneratorUsable(device))
            throw CudaGraphUnrecoverable("CUDA graphs: capture failed (" + failure
                + ") and left LibTorch's CUDA random generator unusable in this process; run again without CUDA "
                  "graphs (--no-cuda-graphs, performance.cudaGraphs false)");
        throw Error("CUDA graphs: capture failed: " + failure);
    }
    d->captured = true;
}

bool CudaGraph::captured() const
{
    return d->captured;
}

void CudaGraph::replay()
{
    if (!d->captured)
        throw Error("CUDA graphs: replay before capture");
    if (d->emulatedBody)
        d->emulatedBody();
    else
        d->graph.replay();
}

#else // no CUDA in this LibTorch, or graphs switched off at build time: only the CPU emulation

struct CudaGraph::Impl
{
    std::function<void()> emulatedBody;
};

CudaGraph::CudaGraph()
    : d(std::make_unique<Impl>())
{
}

CudaGraph::~CudaGraph() = default;

bool CudaGraph::supported(const torch::Device& device)
{
    return emulated(device);
}

bool CudaGraph::builtIn()
{
    return false;
}

void CudaGraph::capture(const torch::Device& device, const std::function<void()>& body, int warmups)
{
    if (!emulated(device))
        throw Error("CUDA graphs: not built in (" + device.str() + ")");
    if (d->emulatedBody)
        throw Error("CUDA graphs: already captured");
    for (int i = 0; i < warmups; ++i)
        body();
    d->emulatedBody = body;
}

bool CudaGraph::captured() const
{
    return static_cast<bool>(d->emulatedBody);
}

void CudaGraph::replay()
{
    if (!d->emulatedBody)
        throw Error("CUDA graphs: replay before capture");
    d->emulatedBody();
}

#endif

} // namespace distillery::core

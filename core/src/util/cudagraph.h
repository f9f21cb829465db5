// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/error.h>

#include <torch/torch.h>

#include <functional>
#include <memory>
#include <string>

namespace distillery::core {

/// A failed capture that left LibTorch unable to go on in this process: its CUDA random generator still counts
/// itself inside the capture (LibTorch 2.x ends that state only in a capture_end that succeeds), so every later
/// random op fails. Nothing can fall back to launching the work eagerly; the run must stop with this message.
class CudaGraphUnrecoverable final : public Error
{
public:
    using Error::Error;
};

/// One CUDA graph of a fixed-shape piece of work (LibTorch's at::cuda::CUDAGraph): warm up and capture once, then
/// replay — the many small kernel launches of a step become one graph launch. The captured work reads and writes
/// the same tensors (static buffers, parameters updated in place) on every replay; random ops draw fresh numbers
/// on every replay from torch's CUDA generator. Builds whose LibTorch has no CUDA get a class that is never
/// supported(). Kept in its own file so that only this translation unit sees the CUDA headers.
class CudaGraph final
{
public:
    CudaGraph();
    ~CudaGraph();
    CudaGraph(const CudaGraph&) = delete;
    CudaGraph& operator=(const CudaGraph&) = delete;

    /// This build can capture graphs on `device` (a CUDA device and a LibTorch with CUDA), or emulation is on.
    static bool supported(const torch::Device& device);

    /// Graph capture is compiled in (a LibTorch with CUDA, and the build switch DISTILLERY_CUDA_GRAPHS on).
    static bool builtIn();

    /// Tests only: on a non-CUDA device, capture() runs the warm-ups and keeps the body, replay() calls it — so the
    /// bookkeeping around graphs (warm-ups undone, buffers refilled before each replay) runs on the CPU.
    static void setCpuEmulation(bool enabled);

    /// Runs `body` `warmups` times eagerly on a side stream (cuDNN and cuBLAS choose their algorithms, autograd
    /// starts its device thread, lazy allocations happen outside the graph's memory pool), then captures one more
    /// call. `body` must not synchronise with the host and must keep the shapes and the tensors it reads and writes.
    /// Warm-up calls do execute (the caller restores any state they change); the capture does not.
    /// Throws Error with CUDA's reason when the capture fails and the device stays usable (nothing is captured), or
    /// CudaGraphUnrecoverable when the failure broke LibTorch's random generator for this process.
    void capture(const torch::Device& device, const std::function<void()>& body, int warmups = 3);

    bool captured() const;

    /// Launches the captured work on the current stream (no host synchronisation).
    void replay();

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace distillery::core

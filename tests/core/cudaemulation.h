// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Just enough of CUDA to run a kernel's source on the CPU: one std::thread per CUDA thread, blocks one after
// another (so one array serves as every block's shared memory), __syncthreads as a barrier of the block and
// __shfl_xor_sync as an exchange through a barrier of the warp. Slow, exact in its semantics for kernels that
// keep to block barriers and full-warp shuffles — enough to check indexing and reductions without a GPU.

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#define DISTILLERY_KERNEL_EMULATION 1
#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __launch_bounds__(n)
#define __shared__

struct dim3
{
    unsigned x = 1, y = 1, z = 1;
};

namespace cudaemulation {

/// A reusable barrier for a fixed number of threads (C++17 has no std::barrier).
class Barrier
{
public:
    explicit Barrier(int count)
        : m_count(count)
    {
    }
    void wait()
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        const unsigned long generation = m_generation;
        if (++m_arrived == m_count) {
            m_arrived = 0;
            ++m_generation;
            m_changed.notify_all();
            return;
        }
        m_changed.wait(lock, [&] { return generation != m_generation; });
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    int m_count;
    int m_arrived = 0;
    unsigned long m_generation = 0;
};

struct Warp
{
    Warp()
        : barrier(32)
    {
    }
    Barrier barrier;
    float values[32] = {};
};

struct Block
{
    explicit Block(int threads)
        : barrier(threads)
        , warps(static_cast<std::size_t>(threads) / 32)
    {
    }
    Barrier barrier;
    std::vector<Warp> warps;
};

inline std::unique_ptr<Block> g_block;

} // namespace cudaemulation

inline thread_local dim3 threadIdx;
inline dim3 blockIdx;
inline dim3 blockDim;

inline void __syncthreads()
{
    cudaemulation::g_block->barrier.wait();
}

inline float __shfl_xor_sync(unsigned /*mask: full warps only*/, float value, int laneMask)
{
    auto& warp = cudaemulation::g_block->warps[threadIdx.x / 32];
    const unsigned lane = threadIdx.x % 32;
    warp.values[lane] = value;
    warp.barrier.wait();
    const float other = warp.values[lane ^ static_cast<unsigned>(laneMask)];
    warp.barrier.wait(); // nobody overwrites a value before every lane has read
    return other;
}

inline float rsqrtf(float x)
{
    return 1.0F / std::sqrt(x);
}

using std::min;

namespace cudaemulation {

/// Runs `kernel` (a callable with the kernel's arguments bound) as a grid of `blocks` × `threads`. Warps that
/// return early must do so as whole warps (as on the GPU, where a partial warp would deadlock a full-mask shuffle).
inline void launch(unsigned blocks, unsigned threads, const std::function<void()>& kernel)
{
    blockDim = {threads, 1, 1};
    for (unsigned b = 0; b < blocks; ++b) {
        blockIdx = {b, 1, 1};
        g_block = std::make_unique<Block>(static_cast<int>(threads));
        std::vector<std::thread> pool;
        pool.reserve(threads);
        for (unsigned t = 0; t < threads; ++t)
            pool.emplace_back([t, &kernel] {
                threadIdx = {t, 1, 1};
                kernel();
            });
        for (auto& thread : pool)
            thread.join();
    }
    g_block.reset();
}

} // namespace cudaemulation

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <vector>

namespace distillery::core {

struct DeviceInfo
{
    std::string id; ///< "cpu", "cuda:0", …
    std::string description; ///< e.g. "NVIDIA H100 80GB HBM3, 79.1 GiB" or "CPU, 2 threads"
};

bool cudaAvailable();
std::vector<DeviceInfo> availableDevices();

/// Turns "auto" into "cuda:0" when CUDA is there, else "cpu"; checks that an explicit device exists.
/// Throws Error naming the setting for an unknown or missing device.
std::string resolveDevice(const std::string& requested);

/// The OpenMP threads behind torch's CPU work spin for a long while between parallel regions; when another process,
/// or an evaluation beside the run, needs the same cores they spin against it (two runs side by side on 2 cores:
/// 150 ms per DM step instead of 66, BENCHMARKS.md "Threads"). Unless the user set OMP_WAIT_POLICY or
/// GOMP_SPINCOUNT, this sets a short spin (GOMP_SPINCOUNT=1000: as fast on a quiet machine) and re-executes the
/// program, because the OpenMP runtime reads its settings once, when it is loaded, before main() starts. Call first
/// in main(); returns when nothing needs changing or the re-execution is impossible.
void useShortThreadSpin(char** argv);

/// Tunes glibc's allocator for large, short-lived tensors (no per-thread arenas, no mmap/munmap churn). Call first
/// in main(), before any thread starts: a thread that already has its own arena keeps it. setThreadCount() calls it
/// too, for programs that run torch on their main thread only.
void tuneAllocatorForTensors();

/// Sets torch's CPU thread count (0 = every core). Call once per thread before any torch work.
void setThreadCount(int threads);
int threadCount();

/// Waits until the device has finished its queued work (for timing); nothing on the CPU.
void synchronizeDevice(const std::string& device);

/// Bytes of device memory torch holds at its peak since the last reset; 0 on the CPU.
long long peakDeviceMemory(const std::string& device);
void resetPeakDeviceMemory(const std::string& device);

} // namespace distillery::core

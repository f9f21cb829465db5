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

/// Sets torch's CPU thread count (0 = every core). Call once per thread before any torch work.
void setThreadCount(int threads);
int threadCount();

/// Bytes of device memory torch holds at its peak since the last reset; 0 on the CPU.
long long peakDeviceMemory(const std::string& device);
void resetPeakDeviceMemory(const std::string& device);

} // namespace distillery::core

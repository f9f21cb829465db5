// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// The speed switches: they reach into nn/ (fused kernels) and util/ (graphs), so they sit above both.
#include "nn/fusedconvnet.h"
#include "util/cudagraph.h"
#include "util/torchutil.h"

#include <distillery/device.h>
#include <distillery/performance.h>

#include <torch/torch.h>

namespace distillery::core {

void applyPerformanceSettings(const PerformanceConfig& performance, const std::string& device)
{
    setFusedKernelsEnabled(performance.fusedKernels); // the CPU has fused passes too (nn/cpunormrelupool)
    if (device.rfind("cuda", 0) != 0)
        return;
    auto& context = at::globalContext();
    context.setAllowTF32CuDNN(performance.tf32);
    context.setFloat32MatmulPrecision(performance.tf32 ? "high" : "highest");
    context.setBenchmarkCuDNN(performance.cudnnBenchmark);
}

bool fusedKernelsAvailable(const std::string& device)
{
    if (device == "cpu")
        return true; // always built
    return device.rfind("cuda", 0) == 0 && cudaAvailable() && fusedKernelsUsable(toTorchDevice(device));
}

bool cudaGraphsAvailable(const std::string& device)
{
    return device.rfind("cuda", 0) == 0 && cudaAvailable() && CudaGraph::builtIn();
}

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "trajectory/memoryestimate.h"

#include <distillery/error.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace distillery::core {

std::int64_t unrollBytes(const ModelConfig& model, const NetworkShape& shape, int steps, int batch)
{
    std::int64_t perImage = 0; // floats
    if (model.arch == "lenet") {
        const std::int64_t h = shape.height == 28 ? 28 : shape.height - 4;
        const std::int64_t w = shape.width == 28 ? 28 : shape.width - 4;
        perImage = 6 * h * w * 2 + 6 * (h / 2) * (w / 2) + 16 * (h / 2 - 4) * (w / 2 - 4) * 2 + 400 + 2 * (120 + 84) + shape.numClasses;
    } else {
        std::int64_t h = shape.height == 28 ? 32 : shape.height;
        std::int64_t w = shape.width == 28 ? 32 : shape.width;
        for (int d = 0; d < model.depth; ++d) {
            const std::int64_t plane = static_cast<std::int64_t>(model.width) * h * w;
            const bool pooled = model.pooling != "none";
            // conv output, norm output, activation output, pooled output
            perImage += plane * (model.norm == "none" ? 2 : 3) + (pooled ? plane / 4 : 0);
            if (pooled) {
                h /= 2;
                w /= 2;
            }
        }
        perImage += shape.numClasses;
    }
    // Three copies: the forward's activations, the gradient's graph (create_graph) and the backward's buffers. The
    // paper-sized step (ConvNet-128, 30 steps × 100 images) peaked at 20.3 GB against 20.1 GB estimated this way
    // (BENCHMARKS.md, "MTT").
    return 3 * perImage * 4 * static_cast<std::int64_t>(batch) * steps;
}

std::int64_t availableBytes(torch::Device device)
{
    if (!device.is_cpu())
        return -1;
    std::ifstream in("/proc/meminfo");
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string name;
        std::int64_t kilobytes = 0;
        if (fields >> name >> kilobytes && name == "MemAvailable:")
            return kilobytes * 1024;
    }
    return -1;
}

void checkUnrollFits(const ModelConfig& model, const NetworkShape& shape, int steps, int batch, torch::Device device,
    const std::string& setting)
{
    const std::int64_t need = unrollBytes(model, shape, steps, batch);
    const std::int64_t available = availableBytes(device);
    if (available < 0 || need <= available)
        return;
    char text[256];
    std::snprintf(text, sizeof text, "the full unroll needs about %.1f GB (%d steps × %d images), %.1f GB are available",
        static_cast<double>(need) / 1e9, steps, batch, static_cast<double>(available) / 1e9);
    throw Error(setting + ": " + text + "; take fewer steps or a smaller batch, or the constant-memory gradient "
        + "(params.memory = constant)");
}

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/torchutil.h"

#include <cmath>
#include <cstdio>

namespace distillery::core {

torch::Device toTorchDevice(const std::string& device)
{
    try {
        return torch::Device(device);
    } catch (const c10::Error&) {
        throw Error("device: unknown device \"" + device + "\" (use auto, cpu, cuda or cuda:N)");
    }
}

std::string describeTorchError(const std::string& context, const std::string& message)
{
    // Keep only the first line: torch appends source locations and hints that mean nothing to a user.
    std::string first = message.substr(0, message.find('\n'));
    if (first.find("out of memory") != std::string::npos || first.find("DefaultCPUAllocator") != std::string::npos)
        return context + ": out of memory (" + first + "); try a smaller IPC, batch or model width";
    return context + ": " + first;
}

torch::Tensor toTensor(const ImageBatch& batch)
{
    if (batch.data.size() != batch.imageSize() * static_cast<std::size_t>(batch.count))
        throw Error("image batch: " + std::to_string(batch.data.size()) + " values do not match the shape "
            + std::to_string(batch.count) + "x" + std::to_string(batch.channels) + "x" + std::to_string(batch.height)
            + "x" + std::to_string(batch.width));
    return torch::from_blob(const_cast<float*>(batch.data.data()), // from_blob does not copy: clone below
        {batch.count, batch.channels, batch.height, batch.width}, torch::kFloat32)
        .clone();
}

ImageBatch toImageBatch(const torch::Tensor& images)
{
    TORCH_CHECK(images.dim() == 4, "expected N×C×H×W images");
    ImageBatch batch;
    batch.count = static_cast<int>(images.size(0));
    batch.channels = static_cast<int>(images.size(1));
    batch.height = static_cast<int>(images.size(2));
    batch.width = static_cast<int>(images.size(3));
    batch.data = toFloatVector(images);
    return batch;
}

std::vector<float> toFloatVector(const torch::Tensor& t)
{
    const torch::Tensor host = t.detach().to(torch::kCPU, torch::kFloat32).contiguous();
    return std::vector<float>(host.data_ptr<float>(), host.data_ptr<float>() + host.numel());
}

std::vector<std::int64_t> toInt64Vector(const torch::Tensor& t)
{
    const torch::Tensor host = t.detach().to(torch::kCPU, torch::kInt64).contiguous();
    return std::vector<std::int64_t>(host.data_ptr<std::int64_t>(), host.data_ptr<std::int64_t>() + host.numel());
}

torch::Tensor fromFloatVector(const std::vector<float>& values, torch::IntArrayRef shape)
{
    return torch::from_blob(const_cast<float*>(values.data()), shape, torch::kFloat32).clone();
}

torch::Tensor fromInt64Vector(const std::vector<std::int64_t>& values)
{
    return torch::from_blob(const_cast<std::int64_t*>(values.data()), {static_cast<std::int64_t>(values.size())},
        torch::kInt64)
        .clone();
}

ImageBatch8 toDisplay(const torch::Tensor& normalised, const std::vector<float>& mean, const std::vector<float>& std)
{
    torch::NoGradGuard noGrad;
    const auto channels = normalised.size(1);
    const torch::Tensor m = fromFloatVector(mean, {1, channels, 1, 1});
    const torch::Tensor s = fromFloatVector(std, {1, channels, 1, 1});
    const torch::Tensor pixels = (normalised.detach().to(torch::kCPU, torch::kFloat32) * s + m)
                                     .clamp(0.0, 1.0)
                                     .mul(255.0)
                                     .round()
                                     .to(torch::kUInt8)
                                     .contiguous();
    ImageBatch8 out;
    out.count = static_cast<int>(pixels.size(0));
    out.channels = static_cast<int>(pixels.size(1));
    out.height = static_cast<int>(pixels.size(2));
    out.width = static_cast<int>(pixels.size(3));
    out.data.assign(pixels.data_ptr<std::uint8_t>(), pixels.data_ptr<std::uint8_t>() + pixels.numel());
    return out;
}

std::string formatBytes(double bytes)
{
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int unit = 0;
    while (bytes >= 1024.0 && unit < 4) {
        bytes /= 1024.0;
        ++unit;
    }
    char text[32];
    std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.1f %s", bytes, units[unit]);
    return text;
}

std::uint64_t deriveSeed(std::uint64_t seed, std::uint64_t stream, std::uint64_t index)
{
    auto splitmix = [](std::uint64_t x) {
        x += 0x9E3779B97F4A7C15ULL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
        return x ^ (x >> 31);
    };
    // torch::manual_seed takes the full 64 bits, but keep values positive for JSON and Python consumers.
    return splitmix(splitmix(splitmix(seed) ^ stream) ^ index) >> 1;
}

void checkFinite(double value, const std::string& what)
{
    if (!std::isfinite(value))
        throw Error(what + " became NaN or infinite; lower the learning rate (the last good synthetic set is kept)");
}

} // namespace distillery::core

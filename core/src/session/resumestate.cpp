// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/resumestate.h"

#include "formats/safetensors.h"

#include <distillery/error.h>

#include <cstring>

namespace distillery::core {
namespace {

    constexpr const char* kFormat = "distillery-resume-state/1";

} // namespace

void writeResumeState(const std::string& path, const ResumeState& state)
{
    SafetensorsFile file;
    file.metadata = {{"format", kFormat}, {"iteration", std::to_string(state.iteration)}};
    for (const auto& [name, tensor] : state.tensors) {
        const torch::Tensor t = tensor.detach().to(torch::kCPU, torch::kFloat32).contiguous();
        NpyArray a;
        a.descr = "<f4";
        a.shape.assign(t.sizes().begin(), t.sizes().end());
        a.bytes.resize(static_cast<std::size_t>(t.numel()) * sizeof(float));
        if (!a.bytes.empty())
            std::memcpy(a.bytes.data(), t.data_ptr<float>(), a.bytes.size());
        file.tensors[name] = std::move(a);
    }
    writeSafetensors(path, file);
}

ResumeState readResumeState(const std::string& path)
{
    const SafetensorsFile file = readSafetensors(path);
    const auto format = file.metadata.find("format");
    const auto iteration = file.metadata.find("iteration");
    if (format == file.metadata.end() || format->second != kFormat || iteration == file.metadata.end())
        throw Error(path + ": not a Distillery resume state");
    ResumeState state;
    try {
        state.iteration = std::stoi(iteration->second);
    } catch (const std::exception&) {
        throw Error(path + ": iteration \"" + iteration->second + "\" is not a number");
    }
    for (const auto& [name, a] : file.tensors) {
        if (a.descr != "<f4")
            throw Error(path + ": tensor " + name + " is " + a.descr + ", expected float32");
        torch::Tensor t = torch::empty(a.shape, torch::kFloat32);
        if (a.bytes.size() != static_cast<std::size_t>(t.numel()) * sizeof(float))
            throw Error(path + ": tensor " + name + " does not match its shape");
        if (!a.bytes.empty())
            std::memcpy(t.data_ptr<float>(), a.bytes.data(), a.bytes.size());
        state.tensors[name] = t;
    }
    return state;
}

} // namespace distillery::core

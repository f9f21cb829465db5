// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/resumestate.h"

#include "formats/safetensors.h"
#include "formats/tensorarray.h"

#include <distillery/error.h>

namespace distillery::core {
namespace {

    constexpr const char* kFormat = "distillery-resume-state/1";

} // namespace

void writeResumeState(const std::string& path, const ResumeState& state)
{
    SafetensorsFile file;
    file.metadata = {{"format", kFormat}, {"iteration", std::to_string(state.iteration)}};
    for (const auto& [name, tensor] : state.tensors) {
        file.tensors[name] = toFloatArray(tensor);
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
        try {
            state.tensors[name] = fromFloatArray(a);
        } catch (const Error&) {
            throw Error(path + ": tensor " + name + " does not match its shape");
        }
    }
    return state;
}

} // namespace distillery::core

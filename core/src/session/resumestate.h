// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <torch/torch.h>

#include <map>
#include <string>

namespace distillery::core {

/// A method's resume tensors (Method::resumeState, e.g. the images' momentum) with the iteration they belong to.
/// Stored beside checkpoint.safetensors as checkpoint-state.safetensors (float32 tensors, the iteration in the
/// metadata), so the checkpoint itself stays a plain synthetic set that every reader understands.
struct ResumeState
{
    int iteration = -1;
    std::map<std::string, torch::Tensor> tensors; ///< on the CPU
};

void writeResumeState(const std::string& path, const ResumeState& state);

/// Throws Error naming the file when it is unreadable or not a resume state.
ResumeState readResumeState(const std::string& path);

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/npz.h>

#include <torch/torch.h>

namespace distillery::core {

/// A host copy of `tensor` as a C-order array of `type`, float32 ("<f4") or float16 ("<f2"): what the expert files
/// and the resume state store.
NpyArray toFloatArray(const torch::Tensor& tensor, torch::ScalarType type = torch::kFloat);

/// The array ("<f4" or "<f2", checked by the caller along with its shape) as a float32 CPU tensor. Error when its
/// bytes do not fill the shape.
torch::Tensor fromFloatArray(const NpyArray& array);

} // namespace distillery::core

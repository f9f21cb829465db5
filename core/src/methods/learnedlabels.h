// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// Learnable soft labels (docs/methods.md §8): label logits learned with the images, trained on as softmax targets,
// exported as probabilities.
#pragma once

#include <torch/torch.h>

namespace distillery::core {

/// Logits a·onehot(label) with a = ln(9(K − 1)): the softmax gives the true class 0.9 and the rest 0.1 / (K − 1)
/// (a start without a teacher; DATM starts from an expert's logits instead). float N×K on the labels' device.
torch::Tensor initialLabelLogits(const torch::Tensor& labels, int classes);

/// Copies checkpointed logits into the method's own (in place); Error when the shapes differ.
void restoreLabelLogits(const torch::Tensor& logits, const torch::Tensor& saved);

} // namespace distillery::core

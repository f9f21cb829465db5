// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <torch/torch.h>

namespace distillery::core {

/// Batched SSIM (docs/privacy.md §3, OpenCV's convention) of image pairs a[i], b[i], N×C×H×W on the 0–255 scale:
/// returns N values (per-channel SSIM averaged over channels).
torch::Tensor ssimBatch(const torch::Tensor& a, const torch::Tensor& b);

/// Batched PSNR on the 0–255 scale, per channel then averaged; +inf where a channel is identical.
torch::Tensor psnrBatch(const torch::Tensor& a, const torch::Tensor& b);

} // namespace distillery::core

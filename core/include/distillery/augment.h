// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/imagebatch.h>

#include <cstdint>
#include <string>
#include <vector>

namespace distillery::core {

/// The operations of differentiable Siamese augmentation, docs/methods.md §1.3.
enum class DsaOp
{
    Brightness,
    Saturation,
    Contrast,
    Crop,
    Cutout,
    Flip,
    Scale,
    Rotate,
};

/// Applies one operation with explicit parameters, one row per image (or a single row for all images):
///   Brightness, Saturation, Contrast, Flip: {u} with u in [0, 1] (the uniform draw of the reference)
///   Crop: {t_h, t_w} shift in pixels;  Cutout: {o_h, o_w} square centre;  Scale: {s_x, s_y};
///   Rotate: {degrees}.
/// For teaching panels and tests; the methods draw their parameters internally.
ImageBatch applyDsaOperation(const ImageBatch& images, DsaOp op, const std::vector<std::vector<double>>& params);

/// One random DSA call (one group of the strategy, chosen by the seed). Siamese: one parameter set shared by
/// every image; otherwise per-image parameters.
ImageBatch dsaAugment(const ImageBatch& images, const std::string& strategy, std::uint64_t seed, bool siamese);

/// The reference strategy strings: with flip for clothes and natural images, without for digits.
inline constexpr const char* kDsaStrategyDefault = "color_crop_cutout_flip_scale_rotate";
inline constexpr const char* kDsaStrategyNoFlip = "color_crop_cutout_scale_rotate";

/// Throws Error naming the unknown group of a strategy string.
void checkDsaStrategy(const std::string& strategy);

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// Synthetic sets on disk: checks, safetensors, npz, PNG grid and image-folder export (docs/formats.md).
#pragma once

#include <distillery/imagebatch.h>
#include <distillery/syntheticset.h>

#include <string>

namespace distillery::core {

/// Throws Error when sizes disagree (labels vs images, class names vs numClasses, mean/std vs channels, …).
void checkConsistent(const SyntheticSet& set);

/// De-normalised 8-bit copy of the images for display and PNG export.
ImageBatch8 toDisplayPixels(const SyntheticSet& set);

/// safetensors: tensors images (F32), labels (I64 or F32 N×K), mean, std, lr, init_indices;
/// class names, metadata and format version in __metadata__. Readable in Python without PyTorch.
void saveSafetensors(const SyntheticSet& set, const std::string& path);
SyntheticSet loadSafetensors(const std::string& path);

/// npz with the same keys; class names as a `<U` array. Needs libzip (throws Error naming the file otherwise).
void saveNpz(const SyntheticSet& set, const std::string& path);
SyntheticSet loadNpz(const std::string& path);

/// Loads a .safetensors or .npz set, or a run folder (its synthetic.safetensors).
SyntheticSet loadSyntheticSet(const std::string& path);

/// One row per class, one column per image, de-normalised; `scale` enlarges each pixel (nearest neighbour).
/// Needs OpenCV.
void saveGridPng(const SyntheticSet& set, const std::string& path, int scale = 2);

/// ImageFolder export (docs/formats.md §7): <dir>/<NN>_<class>/<label>_<index>.png and classes.txt. Needs OpenCV.
void saveImageFolder(const SyntheticSet& set, const std::string& dir);

/// Whether this build can write PNG / read image folders (OpenCV) and read/write npz (libzip).
bool hasImageSupport();
bool hasNpzSupport();

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/npz.h>

#include <map>
#include <string>

namespace distillery::core {

/// A safetensors file (docs/formats.md §8) as raw arrays. NpyArray serves both containers: its numpy dtype
/// ("<f4", "<i8", "|u1", …) maps one-to-one onto safetensors' (F32, I64, U8, …).
struct SafetensorsFile
{
    std::map<std::string, NpyArray> tensors;
    std::map<std::string, std::string> metadata;
};

/// Writes tensors ordered by descending alignment then name, header padded to 8 bytes (the reference writer).
void writeSafetensors(const std::string& path, const SafetensorsFile& file);

/// Reads and validates like the reference reader: header ≤ 100 MB and starting with '{', known dtypes, byte
/// sizes matching shapes, offsets without holes or overlaps, and the file covered exactly. Errors name the file.
SafetensorsFile readSafetensors(const std::string& path);

} // namespace distillery::core

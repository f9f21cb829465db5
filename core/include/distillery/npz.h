// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace distillery::core {

/// One numpy array as raw little-endian C-order bytes (docs/formats.md §4).
struct NpyArray
{
    std::string descr; ///< numpy dtype string: "|u1", "<i8", "<f4", "<U12", …
    std::vector<std::int64_t> shape;
    std::vector<std::uint8_t> bytes;

    /// The product of the dimensions. Throws Error when a dimension is negative or the product does not fit in
    /// 64 bits (a corrupt header), so that no caller multiplies its way into a wrong, small size.
    std::int64_t elementCount() const;
};

/// `count` × `itemBytes`, or an Error naming `what` when the product does not fit in 64 bits.
std::int64_t checkedByteCount(std::int64_t count, std::int64_t itemBytes, const std::string& what);

/// Serialises / parses one .npy (version 1.0 written; 1, 2, 3 read). Fortran order, big-endian and object
/// arrays are rejected with an Error naming `what`.
std::vector<std::uint8_t> encodeNpy(const NpyArray& array);
NpyArray decodeNpy(const std::vector<std::uint8_t>& bytes, const std::string& what);

/// Reads every entry of an .npz (stored or deflated, zip64 included); keys without ".npy". Needs libzip.
std::map<std::string, NpyArray> readNpz(const std::string& path);
/// Reads selected entries only (large archives: MedMNIST+); a missing key is an Error naming file and key.
std::map<std::string, NpyArray> readNpz(const std::string& path, const std::vector<std::string>& keys);
/// Writes an .npz numpy reads with np.load (stored entries). Needs libzip.
void writeNpz(const std::string& path, const std::map<std::string, NpyArray>& arrays);

} // namespace distillery::core

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// A structural check of DICOM files before they reach the decoder (docs/formats.md §9). Debian's GDCM, which
// OpenCV uses for DICOM, stops the whole process with an assertion on many truncated or malformed files, and
// loads a file whose pixel data is cut short with only a warning. Walking the file's elements first, with every
// length checked against the bytes that are there, turns both into an Error naming the file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace distillery::core {

/// True when the bytes carry the DICOM part 10 signature ("DICM" after the 128-byte preamble), i.e. when OpenCV
/// would hand the file to its DICOM decoder whatever the file's name.
bool looksLikeDicom(const std::uint8_t* bytes, std::size_t size);

/// Throws Error naming `path` unless the file is a DICOM part 10 file that this program can decode: a file meta
/// group, a little-endian transfer syntax, every element, sequence and item inside the file, one image's pixel
/// attributes that make sense (rows, columns, 1 or 3 samples, 8 or 16 bits) and pixel data of at least the size they
/// imply. Deflated and big-endian transfer syntaxes are refused by name.
void checkDicom(const std::uint8_t* bytes, std::size_t size, const std::string& path);

} // namespace distillery::core

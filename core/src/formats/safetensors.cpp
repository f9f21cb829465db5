// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "formats/safetensors.h"

#include "formats/atomicfile.h"

#include <distillery/error.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <type_traits>
#include <filesystem>
#include <fstream>

namespace distillery::core {
namespace {

    /// A JSON list of whole numbers as T. A float (1e30, 2.5) is refused by name: converting it would be undefined
    /// behaviour, not just a wrong size (found by fuzzing the timeline reader).
    template<typename T>
    std::vector<T> wholeNumbers(const nlohmann::json& list, const std::string& what)
    {
        if (!list.is_array())
            throw Error(what + " is not a list");
        std::vector<T> out;
        for (const auto& value : list) {
            if (!value.is_number_integer() || (std::is_unsigned_v<T> && !value.is_number_unsigned()))
                throw Error(what + " holds " + value.dump() + ", not a whole number" + (std::is_unsigned_v<T> ? " ≥ 0" : ""));
            out.push_back(value.get<T>());
        }
        return out;
    }

    constexpr std::uint64_t kMaxHeader = 100'000'000;

    struct DType
    {
        const char* safetensors;
        const char* numpy;
        int bytes;
    };
    constexpr DType kDTypes[] = {
        {"F64", "<f8", 8},
        {"I64", "<i8", 8},
        {"U64", "<u8", 8},
        {"F32", "<f4", 4},
        {"I32", "<i4", 4},
        {"U32", "<u4", 4},
        {"F16", "<f2", 2},
        {"I16", "<i2", 2},
        {"U16", "<u2", 2},
        {"U8", "|u1", 1},
        {"I8", "|i1", 1},
        {"BOOL", "|b1", 1},
    };

    const DType* bySafetensors(const std::string& name)
    {
        for (const auto& d : kDTypes)
            if (name == d.safetensors)
                return &d;
        return nullptr;
    }

    const DType* byNumpy(const std::string& descr)
    {
        for (const auto& d : kDTypes)
            if (descr == d.numpy)
                return &d;
        return nullptr;
    }

} // namespace

void writeSafetensors(const std::string& path, const SafetensorsFile& file)
{
    std::vector<std::pair<std::string, const NpyArray*>> order;
    for (const auto& [name, array] : file.tensors) {
        if (!byNumpy(array.descr))
            throw Error(path + ": cannot store dtype " + array.descr + " of " + name + " in safetensors");
        order.emplace_back(name, &array);
    }
    std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
        const int ea = byNumpy(a.second->descr)->bytes, eb = byNumpy(b.second->descr)->bytes;
        return ea != eb ? ea > eb : a.first < b.first;
    });

    nlohmann::json header = nlohmann::json::object();
    if (!file.metadata.empty())
        header["__metadata__"] = file.metadata;
    std::uint64_t offset = 0;
    for (const auto& [name, array] : order) {
        const DType* d = byNumpy(array->descr);
        const auto size = static_cast<std::uint64_t>(array->bytes.size());
        if (size != static_cast<std::uint64_t>(array->elementCount() * d->bytes))
            throw Error(path + ": tensor " + name + " has a byte size that does not match its shape");
        header[name] = {{"dtype", d->safetensors}, {"shape", array->shape}, {"data_offsets", {offset, offset + size}}};
        offset += size;
    }
    std::string text = header.dump();
    text.append((8 - text.size() % 8) % 8, ' '); // 8-aligned data buffer, as the reference writer pads

    unsigned char lengthBytes[8];
    for (int i = 0; i < 8; ++i)
        lengthBytes[i] = static_cast<unsigned char>((std::uint64_t(text.size()) >> (8 * i)) & 0xFF); // little-endian u64
    std::vector<ByteSpan> pieces = {{lengthBytes, 8}, {text.data(), text.size()}};
    for (const auto& [name, array] : order)
        pieces.push_back({array->bytes.data(), array->bytes.size()});
    // Whole or not at all: a crash or a full disk never leaves half a checkpoint for a resume to read.
    writeBytesAtomically(path, pieces);
}

SafetensorsFile readSafetensors(const std::string& path)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw Error(path + ": file not found");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(path + ": cannot open for reading");
    const auto fileSize = static_cast<std::uint64_t>(std::filesystem::file_size(path, ec));
    if (fileSize < 8)
        throw Error(path + ": truncated safetensors file (no header length)");
    unsigned char lengthBytes[8];
    in.read(reinterpret_cast<char*>(lengthBytes), 8);
    std::uint64_t headerLength = 0;
    for (int i = 7; i >= 0; --i)
        headerLength = (headerLength << 8) | lengthBytes[i];
    if (headerLength > kMaxHeader)
        throw Error(path + ": not a safetensors file (header length " + std::to_string(headerLength) + " is too large)");
    if (8 + headerLength > fileSize)
        throw Error(path + ": truncated safetensors header");
    std::string text(headerLength, '\0');
    in.read(text.data(), static_cast<std::streamsize>(headerLength));
    if (text.empty() || text[0] != '{')
        throw Error(path + ": not a safetensors file (header does not start with '{')");

    nlohmann::json header;
    try {
        header = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw Error(path + ": corrupt safetensors header (" + std::string(e.what()) + ")");
    }
    if (!header.is_object())
        throw Error(path + ": corrupt safetensors header (not a JSON object)");

    SafetensorsFile file;
    struct Span
    {
        std::uint64_t begin, end;
        std::string name;
    };
    std::vector<Span> spans;
    try {
        for (const auto& [name, entry] : header.items()) {
            if (name == "__metadata__") {
                for (const auto& [key, value] : entry.items()) {
                    if (!value.is_string())
                        throw Error(path + ": __metadata__ value of \"" + key + "\" is not a string");
                    file.metadata[key] = value.get<std::string>();
                }
                continue;
            }
            const std::string dtype = entry.at("dtype").get<std::string>();
            const DType* d = bySafetensors(dtype);
            if (!d)
                throw Error(path + ": tensor " + name + " has unsupported dtype " + dtype);
            NpyArray array;
            array.descr = d->numpy;
            array.shape = wholeNumbers<std::int64_t>(entry.at("shape"), path + ": tensor " + name + " shape");
            const auto offsets = wholeNumbers<std::uint64_t>(entry.at("data_offsets"), path + ": tensor " + name + " data_offsets");
            if (offsets.size() != 2 || offsets[1] < offsets[0])
                throw Error(path + ": tensor " + name + " has invalid data_offsets");
            for (auto dim : array.shape)
                if (dim < 0)
                    throw Error(path + ": tensor " + name + " has a negative dimension");
            if (offsets[1] - offsets[0] != static_cast<std::uint64_t>(array.elementCount()) * d->bytes)
                throw Error(path + ": tensor " + name + " has " + std::to_string(offsets[1] - offsets[0])
                    + " bytes, its shape and dtype need " + std::to_string(array.elementCount() * d->bytes));
            spans.push_back({offsets[0], offsets[1], name});
            file.tensors[name] = std::move(array);
        }
    } catch (const nlohmann::json::exception& e) {
        throw Error(path + ": corrupt safetensors header (" + std::string(e.what()) + ")");
    }

    std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.begin < b.begin; });
    std::uint64_t expected = 0;
    for (const auto& s : spans) {
        if (s.begin != expected)
            throw Error(path + ": tensor " + s.name + " leaves a hole or overlaps another (offset "
                + std::to_string(s.begin) + ", expected " + std::to_string(expected) + ")");
        expected = s.end;
    }
    if (8 + headerLength + expected != fileSize)
        throw Error(path + ": file is " + std::to_string(fileSize) + " bytes, header describes "
            + std::to_string(8 + headerLength + expected) + " (truncated or trailing data)");

    for (const auto& s : spans) {
        auto& bytes = file.tensors[s.name].bytes;
        bytes.resize(s.end - s.begin);
        in.seekg(static_cast<std::streamoff>(8 + headerLength + s.begin));
        in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        if (!in)
            throw Error(path + ": cannot read tensor " + s.name);
    }
    return file;
}

} // namespace distillery::core

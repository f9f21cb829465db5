// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// .npy encoding (docs/formats.md §4) and .npz archives through libzip (§5).
#include "formats/atomicfile.h"
#include "formats/crc32.h"

#include <distillery/error.h>
#include <distillery/npz.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <regex>

#ifdef DISTILLERY_HAVE_LIBZIP
#include <zip.h>
#endif

namespace distillery::core {
namespace {

    constexpr char kMagic[] = "\x93NUMPY";
    constexpr std::size_t kMagicSize = 6;

    std::int64_t itemSize(const std::string& descr, const std::string& what)
    {
        static const std::regex kDescr(R"(^([<>|=])([biufU])(\d{1,6})$)");
        std::smatch m;
        if (!std::regex_match(descr, m, kDescr))
            throw Error(what + ": unsupported numpy dtype '" + descr + "' (object and structured arrays are refused)");
        if (m[1] == ">" && m[3] != "1")
            throw Error(what + ": big-endian numpy dtype '" + descr + "' is not supported");
        const std::int64_t n = std::stoll(m[3]);
        return m[2] == "U" ? 4 * n : n; // <U12: 12 UCS-4 code points
    }

    std::string shapeText(const std::vector<std::int64_t>& shape)
    {
        std::string text = "(";
        for (std::size_t i = 0; i < shape.size(); ++i)
            text += std::to_string(shape[i]) + (shape.size() == 1 || i + 1 < shape.size() ? "," : "");
        return text + ")";
    }

} // namespace

std::int64_t NpyArray::elementCount() const
{
    std::int64_t n = 1;
    for (auto d : shape) {
        if (d < 0)
            throw Error("array shape " + shapeText(shape) + " has a negative dimension");
        if (__builtin_mul_overflow(n, d, &n))
            throw Error("array shape " + shapeText(shape) + " has more elements than fit in 64 bits");
    }
    return n;
}

std::int64_t checkedByteCount(std::int64_t count, std::int64_t itemBytes, const std::string& what)
{
    std::int64_t bytes = 0;
    if (count < 0 || itemBytes < 0 || __builtin_mul_overflow(count, itemBytes, &bytes))
        throw Error(what + ": " + std::to_string(count) + " elements of " + std::to_string(itemBytes)
            + " bytes do not fit in 64 bits (a corrupt header?)");
    return bytes;
}

std::vector<std::uint8_t> encodeNpy(const NpyArray& array)
{
    const std::int64_t expected = checkedByteCount(array.elementCount(), itemSize(array.descr, "npy"), "npy");
    if (static_cast<std::int64_t>(array.bytes.size()) != expected)
        throw Error("npy: " + std::to_string(array.bytes.size()) + " bytes do not match dtype " + array.descr
            + " and shape " + shapeText(array.shape));
    std::string header = "{'descr': '" + array.descr + "', 'fortran_order': False, 'shape': " + shapeText(array.shape)
        + ", }";
    // Pad with spaces so magic + version + length + header is a multiple of 64, ending in '\n' (numpy ≥ 1.?).
    const std::size_t prefix = kMagicSize + 2 + 2;
    const std::size_t total = (prefix + header.size() + 1 + 63) / 64 * 64;
    header.append(total - prefix - header.size() - 1, ' ');
    header.push_back('\n');
    if (header.size() > 65535)
        throw Error("npy: header too long");

    std::vector<std::uint8_t> out(kMagic, kMagic + kMagicSize);
    out.push_back(1); // version 1.0
    out.push_back(0);
    out.push_back(static_cast<std::uint8_t>(header.size() & 0xFF));
    out.push_back(static_cast<std::uint8_t>(header.size() >> 8));
    out.insert(out.end(), header.begin(), header.end());
    out.insert(out.end(), array.bytes.begin(), array.bytes.end());
    return out;
}

NpyArray decodeNpy(const std::vector<std::uint8_t>& bytes, const std::string& what)
{
    if (bytes.size() < 10 || std::memcmp(bytes.data(), kMagic, kMagicSize) != 0)
        throw Error(what + ": not a numpy .npy array (wrong magic)");
    const int major = bytes[6];
    std::size_t headerLength = 0;
    std::size_t headerStart = 0;
    if (major == 1) {
        headerLength = bytes[8] | (bytes[9] << 8);
        headerStart = 10;
    } else if (major == 2 || major == 3) {
        if (bytes.size() < 12)
            throw Error(what + ": truncated .npy header");
        headerLength = bytes[8] | (bytes[9] << 8) | (bytes[10] << 16) | (std::size_t(bytes[11]) << 24);
        headerStart = 12;
    } else {
        throw Error(what + ": unsupported .npy version " + std::to_string(major));
    }
    if (bytes.size() < headerStart + headerLength)
        throw Error(what + ": truncated .npy header");
    const std::string header(bytes.begin() + headerStart, bytes.begin() + headerStart + headerLength);

    static const std::regex kDescr(R"('descr'\s*:\s*'([^']*)')");
    static const std::regex kFortran(R"('fortran_order'\s*:\s*(True|False))");
    static const std::regex kShape(R"('shape'\s*:\s*\(([^)]*)\))");
    std::smatch m;
    NpyArray array;
    if (!std::regex_search(header, m, kDescr))
        throw Error(what + ": .npy header without 'descr' (structured arrays are not supported)");
    array.descr = m[1];
    if (!std::regex_search(header, m, kFortran))
        throw Error(what + ": .npy header without 'fortran_order'");
    if (m[1] == "True")
        throw Error(what + ": Fortran-ordered arrays are not supported (save with C order)");
    if (!std::regex_search(header, m, kShape))
        throw Error(what + ": .npy header without 'shape'");
    const std::string dims = m[1];
    static const std::regex kInt(R"(\d+)");
    for (auto it = std::sregex_iterator(dims.begin(), dims.end(), kInt); it != std::sregex_iterator(); ++it) {
        errno = 0;
        const long long dim = std::strtoll(it->str().c_str(), nullptr, 10);
        if (errno == ERANGE)
            throw Error(what + ": .npy shape dimension " + it->str() + " is too large");
        array.shape.push_back(dim);
    }

    const std::size_t dataStart = headerStart + headerLength;
    std::int64_t elements = 0;
    try {
        elements = array.elementCount();
    } catch (const Error& e) {
        throw Error(what + ": " + e.what());
    }
    const auto expected = static_cast<std::size_t>(checkedByteCount(elements, itemSize(array.descr, what), what));
    if (bytes.size() - dataStart != expected)
        throw Error(what + ": " + std::to_string(bytes.size() - dataStart) + " data bytes, but dtype " + array.descr
            + " and shape " + shapeText(array.shape) + " need " + std::to_string(expected) + " (truncated?)");
    array.bytes.assign(bytes.begin() + dataStart, bytes.end());
    return array;
}

#ifdef DISTILLERY_HAVE_LIBZIP

namespace {

    struct ZipCloser
    {
        void operator()(zip_t* z) const { zip_discard(z); }
    };
    using ZipPtr = std::unique_ptr<zip_t, ZipCloser>;

    ZipPtr openForReading(const std::string& path)
    {
        int error = 0;
        zip_t* z = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &error);
        if (!z) {
            zip_error_t e;
            zip_error_init_with_code(&e, error);
            const std::string message = zip_error_strerror(&e);
            zip_error_fini(&e);
            if (error == ZIP_ER_NOENT || error == ZIP_ER_OPEN)
                throw Error(path + ": file not found or unreadable");
            throw Error(path + ": not a readable .npz (zip) archive (" + message + ")");
        }
        return ZipPtr(z);
    }

    NpyArray readEntry(zip_t* z, zip_uint64_t index, const std::string& path, const std::string& key)
    {
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(z, index, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
            throw Error(path + ": cannot read entry " + key);
        // Deflate cannot expand by more than about 1032:1: a larger promised size is a corrupt directory entry,
        // refused before it decides how much memory to take.
        if ((st.valid & ZIP_STAT_COMP_SIZE) && st.size / 1032 > st.comp_size + 1024)
            throw Error(path + ": entry " + key + " claims " + std::to_string(st.size) + " bytes from "
                + std::to_string(st.comp_size) + " compressed (a corrupt archive)");
        std::vector<std::uint8_t> bytes;
        try {
            bytes.resize(st.size);
        } catch (const std::exception&) {
            throw Error(path + ": entry " + key + " (" + std::to_string(st.size) + " bytes) does not fit in memory");
        }
        zip_file_t* f = zip_fopen_index(z, index, 0);
        if (!f)
            throw Error(path + ": cannot open entry " + key + " (" + zip_strerror(z) + ")");
        const zip_int64_t n = zip_fread(f, bytes.data(), st.size);
        const std::string message = n < 0 ? zip_file_strerror(f) : "";
        zip_fclose(f);
        if (n < 0 || static_cast<zip_uint64_t>(n) != st.size)
            throw Error(path + ": entry " + key + " is corrupt or truncated" + (message.empty() ? "" : " (" + message + ")"));
        // libzip checks an entry's CRC only when a read reaches its end; check it here for every entry, stored ones
        // included, so damaged bytes inside an archive are refused rather than loaded as data.
        if (st.valid & ZIP_STAT_CRC) {
            if (crc32Update(0, bytes.data(), bytes.size()) != st.crc)
                throw Error(path + ": entry " + key + " is damaged (its CRC-32 does not match the archive's)");
        }
        return decodeNpy(bytes, path + " [" + key + "]");
    }

} // namespace

std::map<std::string, NpyArray> readNpz(const std::string& path, const std::vector<std::string>& keys)
{
    ZipPtr z = openForReading(path);
    std::map<std::string, NpyArray> arrays;
    for (const auto& key : keys) {
        const zip_int64_t index = zip_name_locate(z.get(), (key + ".npy").c_str(), 0);
        if (index < 0)
            throw Error(path + ": no array '" + key + "' in the archive");
        arrays[key] = readEntry(z.get(), static_cast<zip_uint64_t>(index), path, key);
    }
    return arrays;
}

std::map<std::string, NpyArray> readNpz(const std::string& path)
{
    ZipPtr z = openForReading(path);
    std::map<std::string, NpyArray> arrays;
    const zip_int64_t count = zip_get_num_entries(z.get(), 0);
    for (zip_int64_t i = 0; i < count; ++i) {
        const char* entryName = zip_get_name(z.get(), static_cast<zip_uint64_t>(i), 0);
        if (!entryName)
            throw Error(path + ": entry " + std::to_string(i) + " has no readable name (" + zip_strerror(z.get()) + ")");
        std::string name = entryName;
        if (name.size() > 4 && name.compare(name.size() - 4, 4, ".npy") == 0)
            name.resize(name.size() - 4);
        arrays[name] = readEntry(z.get(), static_cast<zip_uint64_t>(i), path, name);
    }
    return arrays;
}

namespace {

    void writeNpzInPlace(const std::string& path, const std::map<std::string, NpyArray>& arrays)
    {
        int error = 0;
        zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
        if (!z)
            throw Error(path + ": cannot create the .npz file");
        ZipPtr guard(z);
        // libzip reads the sources only at zip_close(): keep every encoded buffer alive until then.
        std::vector<std::vector<std::uint8_t>> buffers;
        buffers.reserve(arrays.size());
        for (const auto& [key, array] : arrays) {
            buffers.push_back(encodeNpy(array));
            zip_source_t* source = zip_source_buffer(z, buffers.back().data(), buffers.back().size(), 0);
            if (!source)
                throw Error(path + ": cannot add " + key);
            const zip_int64_t index = zip_file_add(z, (key + ".npy").c_str(), source, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
            if (index < 0) {
                zip_source_free(source);
                throw Error(path + ": cannot add " + key + " (" + zip_strerror(z) + ")");
            }
            zip_set_file_compression(z, static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0);
        }
        if (zip_close(z) != 0)
            throw Error(path + ": cannot write the .npz file (" + zip_strerror(z) + ")");
        guard.release(); // zip_close freed it
    }

} // namespace

void writeNpz(const std::string& path, const std::map<std::string, NpyArray>& arrays)
{
    writeFileAtomically(path, [&](const std::string& temporary) { writeNpzInPlace(temporary, arrays); });
}

#else

std::map<std::string, NpyArray> readNpz(const std::string& path, const std::vector<std::string>&)
{
    throw Error(path + ": this build of Distillery has no libzip, so .npz files cannot be read");
}

std::map<std::string, NpyArray> readNpz(const std::string& path)
{
    throw Error(path + ": this build of Distillery has no libzip, so .npz files cannot be read");
}

void writeNpz(const std::string& path, const std::map<std::string, NpyArray>&)
{
    throw Error(path + ": this build of Distillery has no libzip, so .npz files cannot be written");
}

#endif

} // namespace distillery::core

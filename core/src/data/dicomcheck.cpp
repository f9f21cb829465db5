// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// Walks a DICOM part 10 file's elements without decoding anything (docs/formats.md §9): the file meta group in
// explicit VR little endian, then the data set in the transfer syntax it names, sequences and items nested to a
// bounded depth, every length checked against the bytes that are there.
#include "data/dicomcheck.h"

#include <distillery/error.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <set>

namespace distillery::core {
namespace {

    constexpr std::uint32_t kUndefinedLength = 0xFFFFFFFF;
    constexpr int kMaxDepth = 16; // real files nest a few levels; a deeper one is built to exhaust the stack
    constexpr std::size_t kPreamble = 128;

    constexpr std::uint16_t kItemGroup = 0xFFFE;
    constexpr std::uint16_t kItem = 0xE000;
    constexpr std::uint16_t kItemEnd = 0xE00D;
    constexpr std::uint16_t kSequenceEnd = 0xE0DD;

    /// The value representation of the attributes the decoder reads (PS3.6), where the decoder asserts that a file's
    /// VR agrees with its own dictionary instead of reporting a mismatch.
    const char* expectedVr(std::uint16_t group, std::uint16_t element)
    {
        static const std::map<std::uint32_t, const char*> kDictionary = {
            {0x00020000, "UL"}, {0x00020001, "OB"}, {0x00020002, "UI"}, {0x00020003, "UI"}, {0x00020010, "UI"},
            {0x00020012, "UI"}, {0x00020013, "SH"}, {0x00080008, "CS"}, {0x00080016, "UI"}, {0x00080018, "UI"},
            {0x00080060, "CS"}, {0x00180050, "DS"}, {0x00180088, "DS"}, {0x00181164, "DS"}, {0x0020000D, "UI"},
            {0x0020000E, "UI"}, {0x00200013, "IS"}, {0x00200032, "DS"}, {0x00200037, "DS"}, {0x00280002, "US"},
            {0x00280003, "US"}, {0x00280004, "CS"}, {0x00280006, "US"}, {0x00280008, "IS"}, {0x00280009, "AT"},
            {0x00280010, "US"}, {0x00280011, "US"}, {0x00280030, "DS"}, {0x00280034, "IS"}, {0x00280100, "US"},
            {0x00280101, "US"}, {0x00280102, "US"}, {0x00280103, "US"}, {0x00281050, "DS"}, {0x00281051, "DS"},
            {0x00281052, "DS"}, {0x00281053, "DS"}, {0x00281054, "LO"}, {0x00281201, "OW"}, {0x00281202, "OW"},
            {0x00281203, "OW"}, {0x00282110, "CS"},
        };
        const auto it = kDictionary.find((std::uint32_t(group) << 16) | element);
        return it == kDictionary.end() ? nullptr : it->second;
    }

    /// Bytes per value of the binary VRs whose length must be a multiple of it (0 for the others).
    std::uint32_t valueSize(const std::string& vr)
    {
        if (vr == "US" || vr == "SS" || vr == "OW")
            return 2;
        if (vr == "UL" || vr == "SL" || vr == "FL" || vr == "AT" || vr == "OF" || vr == "OL")
            return 4;
        if (vr == "FD" || vr == "OD" || vr == "SV" || vr == "UV" || vr == "OV")
            return 8;
        return 0;
    }

    /// Decimal and integer strings (DS, IS) hold numbers separated by backslashes, nothing else.
    bool numericText(const std::uint8_t* text, std::uint32_t length, bool decimal)
    {
        for (std::uint32_t i = 0; i < length; ++i) {
            const char c = static_cast<char>(text[i]);
            const bool ok = (c >= '0' && c <= '9') || c == '+' || c == '-' || c == ' ' || c == '\\' || c == '\0'
                || (decimal && (c == '.' || c == 'e' || c == 'E'));
            if (!ok)
                return false;
        }
        return true;
    }

    /// What the decoder will need of the image, read from the top level of the data set.
    struct ImageAttributes
    {
        int rows = -1;
        int columns = -1;
        int samplesPerPixel = 1;
        int bitsAllocated = -1;
        int bitsStored = -1;
        int highBit = -1;
        std::string photometric;
        std::string frames; // IS text
        bool havePixelData = false;
        bool encapsulated = false;
        std::uint64_t pixelBytes = 0;
    };

    /// Text from the file as a message may show it: anything but printable ASCII becomes '?'.
    std::string printable(const std::string& text)
    {
        std::string out = text.substr(0, 64);
        for (char& c : out)
            if (c < 0x20 || c > 0x7E)
                c = '?';
        return out;
    }

    class Walker
    {
    public:
        Walker(const std::uint8_t* data, std::size_t size, const std::string& path)
            : m_data(data)
            , m_size(size)
            , m_path(path)
        {
        }

        [[noreturn]] void fail(std::size_t at, const std::string& why) const
        {
            throw Error(m_path + ": not a readable DICOM file (" + why + " at byte " + std::to_string(at)
                + "; truncated or corrupt?)");
        }

        void need(std::size_t at, std::uint64_t n, std::size_t end) const
        {
            if (at > end || n > end - at)
                fail(at, "the data ends inside an element");
        }

        std::uint16_t u16(std::size_t at) const { return static_cast<std::uint16_t>(m_data[at] | (m_data[at + 1] << 8)); }
        std::uint32_t u32(std::size_t at) const
        {
            return std::uint32_t(m_data[at]) | (std::uint32_t(m_data[at + 1]) << 8) | (std::uint32_t(m_data[at + 2]) << 16)
                | (std::uint32_t(m_data[at + 3]) << 24);
        }
        std::string text(std::size_t at, std::size_t n) const
        {
            std::string s(reinterpret_cast<const char*>(m_data + at), n);
            while (!s.empty() && (s.back() == '\0' || s.back() == ' '))
                s.pop_back();
            return s;
        }

        /// The file meta group (group 0002, always explicit VR little endian); returns where the data set starts and
        /// the transfer syntax UID.
        std::size_t metaGroup(std::string& transferSyntax)
        {
            std::size_t at = kPreamble + 4;
            while (at + 2 <= m_size && u16(at) == 0x0002) {
                const Header h = header(at, m_size, true);
                if (h.length == kUndefinedLength)
                    fail(at, "undefined length in the file meta group");
                need(h.valueAt, h.length, m_size);
                checkValue(at, h);
                if (h.element == 0x0010)
                    transferSyntax = text(h.valueAt, h.length);
                at = h.valueAt + h.length;
            }
            if (transferSyntax.empty())
                fail(at, "no transfer syntax in the file meta group");
            return at;
        }

        /// Elements from `at` to `end`; with `untilItemEnd`, until an item delimiter instead. Returns the position after.
        std::size_t dataSet(std::size_t at, std::size_t end, bool explicitVr, int depth, bool untilItemEnd, ImageAttributes* image)
        {
            if (depth > kMaxDepth)
                fail(at, "sequences nested deeper than " + std::to_string(kMaxDepth));
            while (at < end) {
                need(at, 4, end);
                const std::uint16_t group = u16(at);
                const std::uint16_t element = u16(at + 2);
                if (group == kItemGroup) {
                    need(at, 8, end);
                    if (element == kItemEnd && untilItemEnd) {
                        if (u32(at + 4) != 0)
                            fail(at, "an item delimiter with a length");
                        return at + 8;
                    }
                    fail(at, "an item tag outside a sequence");
                }
                const Header h = header(at, end, explicitVr);
                const bool pixelData = image && group == 0x7FE0 && element == 0x0010;
                if (h.length == kUndefinedLength) {
                    const bool mayBeUndefined = !explicitVr || h.vr == "SQ" || h.vr == "UN" || h.vr == "OB" || h.vr == "OW";
                    if (!mayBeUndefined)
                        fail(at, "undefined length for VR " + h.vr);
                    if (pixelData) {
                        image->havePixelData = true;
                        image->encapsulated = true;
                        at = fragments(h.valueAt, end);
                    } else {
                        // UN of undefined length holds implicit VR items (PS3.5 §6.2.2).
                        at = sequence(h.valueAt, end, h.vr == "UN" ? false : explicitVr, depth + 1);
                    }
                    continue;
                }
                need(h.valueAt, h.length, end);
                checkValue(at, h);
                const std::size_t valueEnd = h.valueAt + h.length;
                if (h.vr == "SQ" || (h.length >= 8 && (!explicitVr || h.vr == "UN") && startsItem(h.valueAt)))
                    sequenceOfKnownLength(h.valueAt, valueEnd, h.vr == "UN" ? false : explicitVr, depth + 1);
                if (image)
                    attribute(*image, group, element, h);
                at = valueEnd;
            }
            if (untilItemEnd)
                fail(at, "an item without its end");
            return at;
        }

    private:
        struct Header
        {
            std::uint16_t group = 0;
            std::uint16_t element = 0;
            std::string vr; // empty in implicit VR
            std::uint32_t length = 0;
            std::size_t valueAt = 0;
        };

        Header header(std::size_t at, std::size_t end, bool explicitVr) const
        {
            static const std::set<std::string> kShortVrs = {"AE", "AS", "AT", "CS", "DA", "DS", "DT", "FL", "FD", "IS",
                "LO", "LT", "PN", "SH", "SL", "SS", "ST", "TM", "UI", "UL", "US"};
            static const std::set<std::string> kLongVrs
                = {"OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"};
            Header h;
            need(at, 8, end);
            h.group = u16(at);
            h.element = u16(at + 2);
            if (!explicitVr) {
                h.length = u32(at + 4);
                h.valueAt = at + 8;
                return h;
            }
            h.vr = std::string(reinterpret_cast<const char*>(m_data + at + 4), 2);
            if (kShortVrs.count(h.vr)) {
                h.length = u16(at + 6);
                h.valueAt = at + 8;
            } else if (kLongVrs.count(h.vr)) {
                need(at, 12, end);
                h.length = u32(at + 8);
                h.valueAt = at + 12;
            } else {
                fail(at, "an unknown value representation");
            }
            return h;
        }

        /// A known attribute's VR (explicit files) and the length and characters its VR allows.
        void checkValue(std::size_t at, const Header& h) const
        {
            const char* known = expectedVr(h.group, h.element);
            if (known && !h.vr.empty() && h.vr != known)
                fail(at, "attribute (" + hex(h.group) + "," + hex(h.element) + ") with VR " + printable(h.vr) + " instead of "
                    + known);
            const std::string vr = h.vr.empty() && known ? std::string(known) : h.vr;
            const std::uint32_t size = valueSize(vr);
            if (size > 0 && h.length % size != 0)
                fail(at, "attribute (" + hex(h.group) + "," + hex(h.element) + ") of VR " + vr + " with length "
                    + std::to_string(h.length));
            if ((vr == "DS" || vr == "IS") && !numericText(m_data + h.valueAt, h.length, vr == "DS"))
                fail(at, "attribute (" + hex(h.group) + "," + hex(h.element) + ") is not a number");
        }

        bool startsItem(std::size_t at) const { return u16(at) == kItemGroup && u16(at + 2) == kItem; }

        /// Items from `at` up to a sequence delimiter, each handed to `onItem(valueAt, length)`, which returns where the
        /// item ends; returns the position after the delimiter. The two texts name what went wrong in messages.
        template<typename OnItem>
        std::size_t itemsUntilDelimiter(
            std::size_t at, std::size_t end, const char* withoutEnd, const char* notAnItem, OnItem&& onItem)
        {
            for (;;) {
                need(at, 8, end);
                if (u16(at) != kItemGroup)
                    fail(at, withoutEnd);
                const std::uint16_t tag = u16(at + 2);
                const std::uint32_t length = u32(at + 4);
                if (tag == kSequenceEnd) {
                    if (length != 0)
                        fail(at, "a sequence delimiter with a length");
                    return at + 8;
                }
                if (tag != kItem)
                    fail(at, notAnItem);
                at = onItem(at + 8, length);
            }
        }

        /// Items up to a sequence delimiter; returns the position after it.
        std::size_t sequence(std::size_t at, std::size_t end, bool explicitVr, int depth)
        {
            if (depth > kMaxDepth)
                fail(at, "sequences nested deeper than " + std::to_string(kMaxDepth));
            return itemsUntilDelimiter(at, end, "a sequence without its end", "an item delimiter outside an item",
                [&](std::size_t valueAt, std::uint32_t length) { return item(valueAt, length, end, explicitVr, depth); });
        }

        void sequenceOfKnownLength(std::size_t at, std::size_t end, bool explicitVr, int depth)
        {
            if (depth > kMaxDepth)
                fail(at, "sequences nested deeper than " + std::to_string(kMaxDepth));
            while (at < end) {
                need(at, 8, end);
                if (u16(at) != kItemGroup || u16(at + 2) != kItem)
                    fail(at, "a sequence holding something other than items");
                at = item(at + 8, u32(at + 4), end, explicitVr, depth);
            }
        }

        std::size_t item(std::size_t valueAt, std::uint32_t length, std::size_t end, bool explicitVr, int depth)
        {
            if (length == kUndefinedLength)
                return dataSet(valueAt, end, explicitVr, depth + 1, true, nullptr);
            need(valueAt, length, end);
            dataSet(valueAt, valueAt + length, explicitVr, depth + 1, false, nullptr);
            return valueAt + length;
        }

        /// Encapsulated pixel data: a basic offset table and fragments, each an item of known length.
        std::size_t fragments(std::size_t at, std::size_t end)
        {
            const char* malformed = "a malformed pixel data fragment";
            int count = 0;
            const std::size_t after = itemsUntilDelimiter(
                at, end, "encapsulated pixel data without its end", malformed, [&](std::size_t valueAt, std::uint32_t length) {
                    if (length == kUndefinedLength)
                        fail(valueAt - 8, malformed);
                    need(valueAt, length, end);
                    ++count;
                    return valueAt + static_cast<std::size_t>(length);
                });
            if (count < 2)
                fail(after - 8, "encapsulated pixel data without a fragment");
            return after;
        }

        void attribute(ImageAttributes& image, std::uint16_t group, std::uint16_t element, const Header& h) const
        {
            auto us = [&](int& out) {
                if (h.length != 2)
                    fail(h.valueAt, "attribute (0028," + hex(element) + ") of length " + std::to_string(h.length) + ", not 2");
                out = u16(h.valueAt);
            };
            if (group == 0x0028) {
                switch (element) {
                case 0x0002: us(image.samplesPerPixel); break;
                case 0x0004: image.photometric = text(h.valueAt, h.length); break;
                case 0x0008: image.frames = text(h.valueAt, h.length); break;
                case 0x0010: us(image.rows); break;
                case 0x0011: us(image.columns); break;
                case 0x0100: us(image.bitsAllocated); break;
                case 0x0101: us(image.bitsStored); break;
                case 0x0102: us(image.highBit); break;
                default: break;
                }
            } else if (group == 0x7FE0 && element == 0x0010) {
                image.havePixelData = true;
                image.pixelBytes = h.length;
            }
        }

        static std::string hex(std::uint16_t v)
        {
            static const char* kDigits = "0123456789ABCDEF";
            std::string s(4, '0');
            for (int i = 3; i >= 0; --i, v >>= 4)
                s[static_cast<std::size_t>(i)] = kDigits[v & 0xF];
            return s;
        }

        const std::uint8_t* m_data;
        std::size_t m_size;
        const std::string& m_path;
    };

    void checkImage(const ImageAttributes& image, const std::string& path)
    {
        auto refuse = [&](const std::string& why) { throw Error(path + ": cannot decode this DICOM image (" + why + ")"); };
        if (!image.havePixelData)
            refuse("no pixel data");
        if (image.rows <= 0 || image.columns <= 0)
            refuse("rows and columns missing or zero");
        if (image.samplesPerPixel != 1 && image.samplesPerPixel != 3)
            refuse(std::to_string(image.samplesPerPixel) + " samples per pixel; 1 or 3 are supported");
        if (image.bitsAllocated != 8 && image.bitsAllocated != 16)
            refuse(std::to_string(image.bitsAllocated) + " bits allocated; 8 or 16 are supported");
        if (image.bitsStored != -1 && (image.bitsStored < 1 || image.bitsStored > image.bitsAllocated))
            refuse(std::to_string(image.bitsStored) + " bits stored of " + std::to_string(image.bitsAllocated) + " allocated");
        if (image.highBit != -1 && image.highBit >= image.bitsAllocated)
            refuse("high bit " + std::to_string(image.highBit) + " of " + std::to_string(image.bitsAllocated) + " bits");
        static const std::set<std::string> kPhotometric = {"", "MONOCHROME1", "MONOCHROME2", "RGB", "YBR_FULL",
            "YBR_FULL_422", "YBR_PARTIAL_420", "YBR_ICT", "YBR_RCT"};
        if (!kPhotometric.count(image.photometric))
            refuse("photometric interpretation \"" + printable(image.photometric) + "\" is not supported");
        std::uint64_t frames = 1;
        if (!image.frames.empty()) {
            const std::string digits = image.frames.substr(image.frames.find_first_not_of(' ') == std::string::npos ? 0 : image.frames.find_first_not_of(' '));
            if (digits.empty() || digits.size() > 6 || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
                refuse("number of frames \"" + printable(image.frames) + "\" is not a whole number");
            frames = std::stoull(digits);
            if (frames == 0)
                refuse("zero frames");
        }
        if (!image.encapsulated) {
            const std::uint64_t needed = std::uint64_t(image.rows) * std::uint64_t(image.columns)
                * std::uint64_t(image.samplesPerPixel) * std::uint64_t(image.bitsAllocated / 8) * frames;
            if (image.pixelBytes < needed)
                refuse("pixel data holds " + std::to_string(image.pixelBytes) + " bytes, " + std::to_string(image.rows) + "×"
                    + std::to_string(image.columns) + " pixels need " + std::to_string(needed) + "; the file is truncated");
        }
    }

} // namespace

bool looksLikeDicom(const std::uint8_t* bytes, std::size_t size)
{
    return size >= kPreamble + 4 && std::memcmp(bytes + kPreamble, "DICM", 4) == 0;
}

void checkDicom(const std::uint8_t* bytes, std::size_t size, const std::string& path)
{
    if (!looksLikeDicom(bytes, size))
        throw Error(path + ": not a DICOM file (no \"DICM\" after the 128-byte preamble)");
    Walker walker(bytes, size, path);
    std::string syntax;
    const std::size_t start = walker.metaGroup(syntax);
    bool explicitVr = true;
    if (syntax == "1.2.840.10008.1.2") {
        explicitVr = false;
    } else if (syntax == "1.2.840.10008.1.2.2") {
        throw Error(path + ": big-endian DICOM (transfer syntax 1.2.840.10008.1.2.2, retired) is not supported");
    } else if (syntax == "1.2.840.10008.1.2.1.99") {
        throw Error(path + ": deflated DICOM (transfer syntax 1.2.840.10008.1.2.1.99) is not supported");
    } else if (syntax.rfind("1.2.840.10008.1.2.4.", 0) == 0 || syntax == "1.2.840.10008.1.2.5") {
        // GDCM's JPEG codecs assert on a damaged stream (a SIGABRT, seen with a JPEG baseline file), and checking a
        // compressed stream would mean decoding it: compressed pixel data is refused until it can be decoded safely.
        throw Error(path + ": compressed DICOM (transfer syntax " + syntax
            + ") is not supported; save the images uncompressed (explicit or implicit VR little endian)");
    } else if (syntax != "1.2.840.10008.1.2.1") {
        throw Error(path + ": DICOM transfer syntax \"" + printable(syntax) + "\" is not supported");
    }
    ImageAttributes image;
    walker.dataSet(start, size, explicitVr, 0, false, &image);
    checkImage(image, path);
}

} // namespace distillery::core

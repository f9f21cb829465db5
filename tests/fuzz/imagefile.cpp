// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// One file of an image folder: the first input byte picks its extension (.png, .jpg, .pgm, .dcm), the rest is the
// file. It sits in class "a" beside a valid grey image; class "b" holds another, so the folder is otherwise usable.
// OpenCV chooses its decoder by the content, so every decoder (and the DICOM check in front of GDCM) is reached.
#include "fuzzsupport.h"

#include <distillery/datasets.h>

#include <cstring>

namespace {

const std::vector<std::uint8_t>& validPgm()
{
    static const std::vector<std::uint8_t> kPgm = [] {
        const char* header = "P5 4 4 255\n";
        std::vector<std::uint8_t> bytes(header, header + std::strlen(header));
        for (int i = 0; i < 16; ++i)
            bytes.push_back(static_cast<std::uint8_t>(i * 16));
        return bytes;
    }();
    return kPgm;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 1)
        return 0;
    static const char* kExtensions[] = {".png", ".jpg", ".pgm", ".dcm"};
    const auto dir = fuzz::scratch("imagefile");
    fuzz::writeFile(dir / "a" / (std::string("x") + kExtensions[data[0] % 4]), data + 1, size - 1);
    fuzz::writeFile(dir / "a" / "good.pgm", validPgm().data(), validPgm().size());
    fuzz::writeFile(dir / "b" / "good.pgm", validPgm().data(), validPgm().size());
    distillery::core::DataConfig config{"folder:" + dir.string()};
    config.testFraction = 0;
    fuzz::refusalIsFine([&] { distillery::core::inspectDataset(config); });
    return 0;
}

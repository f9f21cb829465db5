// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// IDX folders, plain (fuzz_idx) or gzipped (fuzz_idx_gzip, the same source with DISTILLERY_FUZZ_GZIP): the input is
// the four files of an IDX folder (fuzzsupport.h splitParts), read as `distill --dataset idx:<dir>` reads them.
#include "fuzzsupport.h"

#include <distillery/datasets.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
#ifdef DISTILLERY_FUZZ_GZIP
    const char* suffix = ".gz";
#else
    const char* suffix = "";
#endif
    static const char* kNames[] = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
        "t10k-labels-idx1-ubyte"};
    const auto dir = fuzz::scratch("idx");
    const auto parts = fuzz::splitParts(data, size, 4);
    for (std::size_t i = 0; i < 4; ++i)
        fuzz::writeFile(dir / (std::string(kNames[i]) + suffix), parts[i].data(), parts[i].size());
    fuzz::refusalIsFine([&] { distillery::core::inspectDataset(distillery::core::DataConfig{"idx:" + dir.string()}); });
    return 0;
}

// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// CIFAR-10 binary batches: the input is data_batch_1…5.bin, test_batch.bin and batches.meta.txt (splitParts).
#include "fuzzsupport.h"

#include <distillery/datasets.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const char* kNames[] = {"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
        "data_batch_5.bin", "test_batch.bin", "batches.meta.txt"};
    const auto dir = fuzz::scratch("cifar");
    const auto parts = fuzz::splitParts(data, size, 7);
    for (std::size_t i = 0; i < 7; ++i)
        if (i < 6 || !parts[i].empty()) // the names file is optional
            fuzz::writeFile(dir / kNames[i], parts[i].data(), parts[i].size());
    fuzz::refusalIsFine([&] { distillery::core::inspectDataset(distillery::core::DataConfig{"cifar10:" + dir.string()}); });
    return 0;
}

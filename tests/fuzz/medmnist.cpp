// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// MedMNIST archives: the input is one .npz file, read as `--dataset medmnist:<file>` reads it (libzip, the npy
// decoder, the label and shape checks, the class count).
#include "fuzzsupport.h"

#include <distillery/datasets.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto file = fuzz::scratch("medmnist") / "pneumoniamnist.npz";
    fuzz::writeFile(file, data, size);
    fuzz::refusalIsFine([&] { distillery::core::inspectDataset(distillery::core::DataConfig{"medmnist:" + file.string()}); });
    return 0;
}

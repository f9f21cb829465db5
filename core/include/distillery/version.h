// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

namespace distillery::core {

std::string version(); ///< Distillery's version
std::string torchVersion(); ///< the LibTorch it was built against
std::string buildFeatures(); ///< e.g. "OpenCV 4.6.0, libzip 1.7.3, CUDA no"

} // namespace distillery::core

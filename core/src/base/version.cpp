// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// The only file that sees DISTILLERY_VERSION, so a version bump recompiles one translation unit.
#include "util/cudagraph.h"

#include <distillery/device.h>
#include <distillery/version.h>

#include <torch/torch.h>

#ifdef DISTILLERY_HAVE_OPENCV
#include <opencv2/core/version.hpp>
#endif
#ifdef DISTILLERY_HAVE_GIFLIB
#include <gif_lib.h>
#endif
#ifdef DISTILLERY_HAVE_LIBZIP
#include <zip.h>
#endif

namespace distillery::core {

std::string version()
{
    return DISTILLERY_VERSION;
}

std::string torchVersion()
{
    return TORCH_VERSION;
}

std::string buildFeatures()
{
    std::string features;
#ifdef DISTILLERY_HAVE_OPENCV
    features += "OpenCV " CV_VERSION;
#else
    features += "no OpenCV (no image folders, no PNG export)";
#endif
#ifdef DISTILLERY_HAVE_LIBZIP
    features += std::string(", libzip ") + zip_libzip_version();
#else
    features += ", no libzip (no .npz, no MedMNIST)";
#endif
#ifdef DISTILLERY_HAVE_GIFLIB
    features += ", giflib " + std::to_string(GIFLIB_MAJOR) + "." + std::to_string(GIFLIB_MINOR);
#else
    features += ", no giflib (no animated GIF export)";
#endif
#ifdef DISTILLERY_HAVE_FUSED_KERNELS
    features += ", fused CUDA kernels";
#else
    features += ", no fused CUDA kernels (a LibTorch without CUDA)";
#endif
    features += CudaGraph::builtIn() ? ", CUDA graphs" : ", no CUDA graphs";
    features += cudaAvailable() ? ", CUDA available" : ", CUDA not available";
    return features;
}

} // namespace distillery::core

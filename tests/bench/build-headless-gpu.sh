#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The Distillery developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Headless CUDA build against the LibTorch inside a pip torch (docs/architecture.md, "Build variants"), for a GPU
# machine without Debian's -dev packages: header-only JSON/CLI11 (and zlib's headers, if missing) may come
# from a carried folder, by default .gpu/include. Further arguments go to cmake (e.g. -DDISTILLERY_CUDA_GRAPHS=OFF).
# Usage: tests/bench/build-headless-gpu.sh [build-dir [cmake options…]]
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build-gpu}
shift || true
extra=${DISTILLERY_EXTRA_INCLUDE:-$PWD/.gpu/include}
prefix=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')
zlib=()
if [ ! -f /usr/include/zlib.h ]; then
    lib=$(ls /usr/lib/x86_64-linux-gnu/libz.so* 2>/dev/null | head -n 1)
    zlib=(-DZLIB_INCLUDE_DIR="$extra" -DZLIB_LIBRARY="$lib")
fi
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DDISTILLERY_BUILD_GUI=OFF -DDISTILLERY_BUILD_TESTS=OFF \
    -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_INCLUDE_PATH="$extra" "${zlib[@]}" \
    -DCMAKE_CUDA_ARCHITECTURES=90 -DTORCH_CUDA_ARCH_LIST=9.0 "$@"
cmake --build "$build" -j "$(nproc)" -- -k 0

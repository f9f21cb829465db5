#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The Distillery developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# One command on a fresh Debian 12 machine: install every dependency from Debian, build Distillery (GUI, CLI,
# tests) into ./build, and run the main job, distilling the built-in Fashion-MNIST on the CPU.
#
#   ./setup.sh               install, build, run the main job
#   ./setup.sh --no-install  skip apt (dependencies already there)
#   ./setup.sh --no-run      skip the main job
set -euo pipefail
cd "$(dirname "$0")"

install=1
run=1
for arg in "$@"; do
    case "$arg" in
        --no-install) install=0 ;;
        --no-run) run=0 ;;
        *) echo "usage: $0 [--no-install] [--no-run]" >&2; exit 2 ;;
    esac
done

packages=(
    build-essential cmake ninja-build pkg-config ccache git
    libtorch-dev libopenblas0-pthread
    qt6-base-dev qt6-base-dev-tools libqcustomplot-dev
    libopencv-dev libgif-dev nlohmann-json3-dev libcli11-dev libzip-dev zlib1g-dev
    dataset-fashion-mnist
    xvfb xauth desktop-file-utils appstream python3 python3-numpy
    clang libclang-rt-14-dev  # the fuzz targets (libFuzzer) of tests/fuzz; docs/testing.md
)

if [ "$install" = 1 ]; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    $sudo apt-get update
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${packages[@]}"
fi

# Two cores and ~1 GB per torch translation unit: a job per core.
jobs=$(nproc)
cmake --preset release
cmake --build build -j "$jobs"

if [ "$run" = 1 ]; then
    ./build/app/cli/distillery-cli info
    # The main job: distribution matching from noise on the embedded default, classroom size, CPU only.
    ./build/app/cli/distillery-cli distill --dataset fashion-mnist --method dm --ipc 10 --preset classroom \
        --device cpu --seed 0 --out runs
fi

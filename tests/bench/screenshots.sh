#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The Distillery developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The README's screenshots, taken from the real application under Xvfb: DM from noise on the built-in
# Fashion-MNIST (classroom preset, CPU), once early and once after the images have formed, then at 1280 × 720 and in
# presentation mode on a 1024 × 768 projector.
# Usage: tests/bench/screenshots.sh [build-dir] [out-dir]
set -euo pipefail
build=${1:-build}
out=${2:-resources/screenshots}
mkdir -p "$out"
settings=$(mktemp -d) # a clean profile: no saved window layout or settings from a developer's desktop
shoot() {
    XDG_CONFIG_HOME="$settings" XDG_DATA_HOME="$settings" xvfb-run -a -s "-screen 0 1600x1000x24" \
        "$build/app/gui/distillery" --dataset fashion-mnist --method dm --ipc 10 --preset classroom --device cpu \
        --quit-after-iterations "$1" --screenshot "$out/$2" "${@:3}"
}
shoot 40 distillery-dm-early.png
shoot 1000 distillery-dm-formed.png
shoot 300 distillery-dm-1280x720.png --window-size 1280x720
shoot 300 distillery-dm-presentation.png --presentation --window-size 1024x768
rm -rf "$settings"
ls -l "$out"

#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The Distillery developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The headless CUDA build of the GPU scripts (tests/bench/build-headless-gpu.sh), incremental on a warm machine.
# Both GPU features were written against LibTorch 1.13's headers and LibTorch 2.x's documented signatures; if one
# of them does not compile against the LibTorch there, this builds again without it (its own CMake switch) so that
# every other measurement still runs, and leaves <build-dir>/build-note.txt saying so. The logs go to <log-dir>.
# Usage: tests/bench/gpu-build.sh <build-dir> <log-dir>
set -uo pipefail
cd "$(dirname "$0")/../.."
build=${1:?usage: gpu-build.sh <build-dir> <log-dir>}
logs=${2:?usage: gpu-build.sh <build-dir> <log-dir>}
mkdir -p "$logs"
log() { echo "[$(date +%T)] $*" >&2; }

start=$(date +%s)
if ! tests/bench/build-headless-gpu.sh "$build" > "$logs/build.log" 2>&1; then
    grep -E "error|FAILED" "$logs/build.log" | head -40 >&2
    failed=$(grep -E "^FAILED:" "$logs/build.log" || true)
    off=()
    grep -q "cudagraph" <<< "$failed" && off+=(-DDISTILLERY_CUDA_GRAPHS=OFF)
    grep -qE "fused(kernels|convnet)" <<< "$failed" && off+=(-DDISTILLERY_CUDA_KERNELS=OFF)
    others=$(grep -vE "cudagraph|fused(kernels|convnet)" <<< "$failed" | grep -E "^FAILED:" || true)
    if [ "${#off[@]}" -eq 0 ] || [ -n "$others" ]; then
        log "build failed (full log: build.log)"
        exit 1
    fi
    log "build failed in a GPU feature; building again with ${off[*]}"
    if ! tests/bench/build-headless-gpu.sh "$build" "${off[@]}" > "$logs/build-retry.log" 2>&1; then
        grep -E "error|FAILED" "$logs/build-retry.log" | head -40 >&2
        log "build failed again (full log: build-retry.log)"
        exit 1
    fi
    echo "build note: built with ${off[*]} (the compile errors are in build.log)" > "$build/build-note.txt"
fi
log "build: $(($(date +%s) - start)) s"
cat "$build/build-note.txt" 2>/dev/null
exit 0

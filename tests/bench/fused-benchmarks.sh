#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The Distillery developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Issue 6's GPU measurements in one pass, after tests/bench/build-headless-gpu.sh: the fused-kernel parity test,
# the forward of 2,560 training images and of the 10,000 test images, the DM paper step at IPC 10 (each with and
# without the fused kernels; `bench` times both where they run), the eager reference's DM step for the ratio, and
# with `accuracy` the DM IPC 10 paper run twice (fused / stock, same seed, 5 evaluation models).
# One JSON line per result in <out>/results.jsonl; then a short table.
# Usage: tests/bench/fused-benchmarks.sh <build-dir> <out-dir> [speed|accuracy|all]
set -uo pipefail
build=$1
out=$2
what=${3:-speed}
cli="$build/app/cli/distillery-cli"
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
results="$out/results.jsonl"
log() { echo "[$(date +%T)] $*" >&2; }
record() { local limit=$1; shift; log "$*"; timeout "$limit" "$@" >> "$results" || log "  failed or timed out ($?)"; }

nvidia-smi --query-gpu=name,driver_version --format=csv,noheader >&2 || true
log "parity: $build/tests/gpu/tst_fused"
timeout 300 "$build/tests/gpu/tst_fused" | tee "$out/parity.txt" >&2

if [ "$what" = speed ] || [ "$what" = all ]; then
    record 120 "$cli" bench --forward 2560 --warmup 20 --iterations 100 --json
    record 120 "$cli" bench --forward 10000 --test-split --warmup 20 --iterations 100 --json
    record 120 "$cli" bench --forward 2560 --warmup 20 --iterations 100 --no-tf32 --json
    record 120 "$cli" bench --forward 2560 --warmup 20 --iterations 100 --bf16 --json
    record 120 "$cli" bench --method dm --ipc 10 --warmup 20 --iterations 100 --json
    record 120 "$cli" bench --method dm --ipc 10 --warmup 20 --iterations 100 --bf16 --json
    record 120 "$cli" bench --method dm --ipc 1 --warmup 20 --iterations 100 --json
    record 120 "$cli" bench --method dm --ipc 50 --warmup 20 --iterations 100 --json
    record 120 python3 "$here/eager_reference.py" --method dm --ipc 10 --iterations 20 --json
fi
if [ "$what" = accuracy ] || [ "$what" = all ]; then
    for stock in "" --no-fused-kernels; do
        record 1800 "$cli" distill --method dm --ipc 10 --preset paper --seed 0 --eval-models 5 --out "$out/runs" \
            --json --quiet $stock
    done
fi

python3 "$here/summarize.py" "$results"

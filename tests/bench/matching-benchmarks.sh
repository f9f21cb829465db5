#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The Distillery developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Issue 3's GPU measurements in one pass: the eager reference script, `distillery-cli bench` for DM, DC and DSA
# (with and without TF32 / channels-last / CUDA graphs for the DC/DSA inner loop / bf16 real-image passes), and
# paper-preset accuracy runs.
# One JSON line per result in <out>/results.jsonl; each command is bounded by `timeout`, so a slow one cannot take
# the rest down. With the headless build, run the inner-loop graph parity test first:
# build-gpu/tests/gpu/tst_innerloop_gpu.
# Usage: tests/bench/matching-benchmarks.sh <distillery-cli> <out-dir> [speed|gm|accuracy|all]
set -uo pipefail
cli=$1
out=$2
what=${3:-all}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
results="$out/results.jsonl"
log() { echo "[$(date +%T)] $*" >&2; }
record() { local limit=$1; shift; log "$*"; timeout "$limit" "$@" >> "$results" || log "  failed or timed out ($?)"; }

if [ "$what" = speed ] || [ "$what" = all ]; then
    record 120 python3 "$here/eager_reference.py" --method dm --ipc 10 --iterations 20 --json
    for ipc in 1 10 50; do
        record 120 "$cli" bench --method dm --ipc "$ipc" --iterations 50 --warmup 10 --json
    done
    record 120 "$cli" bench --method dm --ipc 10 --iterations 50 --warmup 10 --no-tf32 --json
    record 120 "$cli" bench --method dm --ipc 10 --iterations 50 --warmup 10 --channels-last --json
fi
# gm: gradient matching only (gpu-session.sh times DM with the fused-kernel benchmarks).
if [ "$what" = speed ] || [ "$what" = all ] || [ "$what" = gm ]; then
    record 200 python3 "$here/eager_reference.py" --method dsa --ipc 10 --iterations 3 --warmup 1 --json
    record 200 "$cli" bench --method dsa --ipc 10 --iterations 3 --warmup 1 --json
    record 200 "$cli" bench --method dsa --ipc 10 --iterations 3 --warmup 1 --no-cuda-graphs --json
    # One inner epoch instead of 50: the difference to the full step is 9 × 49 inner epochs, i.e. the inner loop's
    # share of the outer iteration, with and without graphs.
    record 200 "$cli" bench --method dsa --ipc 10 --iterations 3 --warmup 1 --inner 1 --json
    record 200 "$cli" bench --method dsa --ipc 10 --iterations 3 --warmup 1 --no-tf32 --json
    record 200 "$cli" bench --method dsa --ipc 10 --iterations 3 --warmup 1 --bf16 --json
    record 200 "$cli" bench --method dc --ipc 10 --iterations 3 --warmup 1 --json
    record 200 "$cli" bench --method dc --ipc 10 --iterations 3 --warmup 1 --no-cuda-graphs --json
    record 300 "$cli" bench --method dsa --ipc 50 --iterations 2 --warmup 1 --json
fi
if [ "$what" = accuracy ] || [ "$what" = all ]; then
    record 150 "$cli" distill --method dc --ipc 1 --preset paper --seed 0 --out "$out/runs" --json --quiet
    record 150 "$cli" distill --method dsa --ipc 1 --preset paper --seed 0 --out "$out/runs" --json --quiet
    record 400 "$cli" distill --method dm --ipc 10 --preset paper --seed 0 --out "$out/runs" --json --quiet
fi

python3 "$here/summarize.py" "$results"

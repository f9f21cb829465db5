#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The Distillery developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Validates the evaluation protocol (issue 2's benchmarks): the full-data ConvNet, and random real / herding
# sets at IPC 1, 10, 50 under the DSA protocol (1000 epochs), next to docs/methods.md's published values.
# Every result is one JSON line in <out-dir>/results.jsonl.
# Usage: tests/bench/protocol-benchmarks.sh <distillery-cli> <out-dir> [models] [full-epochs]
set -euo pipefail
cli=$1
out=$2
models=${3:-10}
full_epochs=${4:-30}
mkdir -p "$out"
results="$out/results.jsonl"
log() { echo "[$(date +%T)] $*" >&2; }

for augment in dsa none; do
    log "full data, $augment, $full_epochs epochs"
    "$cli" eval --full --dataset fashion-mnist --augment "$augment" --epochs "$full_epochs" --models 2 --json --quiet \
        >> "$results"
done
for ipc in 1 10 50; do
    for method in random herding; do
        log "$method IPC $ipc"
        "$cli" distill --dataset fashion-mnist --method "$method" --ipc "$ipc" --preset paper --seed 0 \
            --eval-models "$models" --out "$out/runs" --json --quiet >> "$results"
        tail -n 1 "$results" | python3 -c 'import json,sys; r=json.load(sys.stdin); e=r["evaluations"][-1]; print("   ", e["summary"], "%.1f s" % e["seconds"])' >&2
    done
done

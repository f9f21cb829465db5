#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The Distillery developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The same classroom run in the window and in distillery-cli, alternated N times (this 2-core machine's speed
# drifts by ±30 % from minute to minute). Throughput = iterations / the step time the session itself records in
# metrics.jsonl (data loading and evaluations excluded, so both sides measure the same thing).
# Usage: tests/bench/gui-vs-cli.sh <build-dir> [iterations] [pairs] [method] [ipc]
set -euo pipefail
build=$1
iterations=${2:-300}
pairs=${3:-3}
method=${4:-dm}
ipc=${5:-10}
work=$(mktemp -d)
rate() { python3 -c "import json,sys; l=[json.loads(x) for x in open(sys.argv[1]) if '\"step\"' in x]; print('%.2f' % (l[-1]['iteration'] / l[-1]['seconds']))" "$1"; }
for i in $(seq "$pairs"); do
    rm -rf "$work/gui" "$work/cli"
    mkdir -p "$work/gui"
    out=$(TMPDIR="$work/gui" QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen} "$build/tests/distillery-gui-bench" --method "$method" \
        --ipc "$ipc" --iterations "$iterations" 2>/dev/null | tail -n 1)
    gui=$(rate "$(ls -d "$work"/gui/distillery-gui-bench/*/ | head -n 1)metrics.jsonl")
    "$build/app/cli/distillery-cli" distill --method "$method" --ipc "$ipc" --iterations "$iterations" --device cpu \
        --no-eval --quiet --out "$work/cli" > /dev/null
    cli=$(rate "$(ls -d "$work"/cli/*/ | head -n 1)metrics.jsonl")
    gap=$(echo "$out" | python3 -c "import json,sys; r=json.load(sys.stdin); print(r['max_gap_ms'], r['p99_gap_ms'])")
    echo "pair $i: window $gui it/s, cli $cli it/s, window/cli $(python3 -c "print('%.2f' % ($gui / $cli))"), GUI timer gap max/p99 ms: $gap"
done
rm -rf "$work"

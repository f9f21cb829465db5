#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The Distillery developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The same classroom run in the window and in distillery-cli, alternated N times in ABBA order (this 2-core
# machine's speed drifts by ±30 % from minute to minute), then the median of the pairs' ratios. Throughput = iterations / the step time the session itself records in
# metrics.jsonl (data loading and evaluations excluded, so both sides measure the same thing).
# The window's runs carry no 10 ms heartbeat probe by default (HEARTBEAT_MS=10 adds it, with the timer gaps):
# the probe's 100 wake-ups per second preempt a torch thread each time, which the application itself never does.
# GUI_ARGS passes options to the window's side (e.g. GUI_ARGS=--presentation).
# Usage: tests/bench/gui-vs-cli.sh <build-dir> [iterations] [pairs] [method] [ipc]
set -euo pipefail
build=$1
iterations=${2:-300}
pairs=${3:-3}
method=${4:-dm}
ipc=${5:-10}
work=$(mktemp -d)
rate() { python3 -c "import json,sys; l=[json.loads(x) for x in open(sys.argv[1]) if '\"step\"' in x]; print('%.2f' % (l[-1]['iteration'] / l[-1]['seconds']))" "$1"; }
run_gui() {
    rm -rf "$work/gui"
    mkdir -p "$work/gui"
    out=$(TMPDIR="$work/gui" QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen} "$build/tests/distillery-gui-bench" --method "$method" \
        --ipc "$ipc" --iterations "$iterations" --heartbeat-ms "${HEARTBEAT_MS:-0}" ${GUI_ARGS:-} 2>/dev/null | tail -n 1)
    gui=$(rate "$(ls -d "$work"/gui/distillery-gui-bench/*/ | head -n 1)metrics.jsonl")
    gap=$(echo "$out" | python3 -c "import json,sys; r=json.load(sys.stdin); print(r['max_gap_ms'], r['p99_gap_ms'])")
}
run_cli() {
    rm -rf "$work/cli"
    "$build/app/cli/distillery-cli" distill --method "$method" --ipc "$ipc" --iterations "$iterations" --device cpu \
        --no-eval --quiet --out "$work/cli" > /dev/null
    cli=$(rate "$(ls -d "$work"/cli/*/ | head -n 1)metrics.jsonl")
}
ratios=()
for i in $(seq "$pairs"); do
    if [ $((i % 2)) -eq 1 ]; then run_gui; run_cli; else run_cli; run_gui; fi
    ratio=$(python3 -c "print('%.2f' % ($gui / $cli))")
    ratios+=("$ratio")
    echo "pair $i: window $gui it/s, cli $cli it/s, window/cli $ratio, GUI timer gap max/p99 ms: $gap"
done
python3 -c "import statistics,sys; r=[float(x) for x in sys.argv[1:]]; print('median window/cli over %d pairs: %.2f (range %.2f–%.2f)' % (len(r), statistics.median(r), min(r), max(r)))" "${ratios[@]}"
rm -rf "$work"

#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The Distillery developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Issue 13's step-time target: Distillery's MTT step against tests/bench/eager_mtt.py (the same step in eager
# PyTorch, written the way the reference runs it), on whatever device both find (CUDA first), and the step's peak
# memory with the full unroll and with constant memory. One expert of two epochs is trained first (a step's cost does
# not depend on which expert it starts from). Prints one table; the JSON lines stay in <out>.
#   [PYTHON=/usr/bin/python3] tests/bench/mtt-step.sh build/app/cli/distillery-cli <out> [IPC] [SYN_STEPS] [WIDTH]
# Paper IPC 10 (the default): 30 student steps on the whole set of 100 images, ConvNet-128.
set -uo pipefail
cd "$(dirname "$0")/../.."
cli=${1:?usage: mtt-step.sh <distillery-cli> <out-dir> [ipc] [syn-steps] [width]}
out=${2:?usage: mtt-step.sh <distillery-cli> <out-dir> [ipc] [syn-steps] [width]}
ipc=${3:-10}
steps=${4:-30}
width=${5:-128}
iterations=${MTT_ITERATIONS:-20}
mkdir -p "$out"
export DISTILLERY_FASHION_MNIST_DIR=${DISTILLERY_FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}
export XDG_DATA_HOME="$out/xdg" # the expert cache of this script only (bench reads the default folder)
common=(--method mtt --preset paper --ipc "$ipc" --syn-steps "$steps" --width "$width" --batch-syn 0 --experts 1
    --max-start-epoch 1 --expert-epochs 1)

"$cli" experts build "${common[@]}" >&2 || exit 1
for memory in full constant; do
    "$cli" bench "${common[@]}" --memory "$memory" --iterations "$iterations" --warmup 3 --json > "$out/distillery-$memory.json" \
        || echo '{"error": "failed"}' > "$out/distillery-$memory.json"
done
"${PYTHON:-python3}" tests/bench/eager_mtt.py --ipc "$ipc" --width "$width" --syn-steps "$steps" --batch-syn 0 \
    --iterations "$iterations" --json > "$out/eager.json" || echo '{"error": "failed"}' > "$out/eager.json"

"${PYTHON:-python3}" - "$out" <<'PY'
import json, sys
out = sys.argv[1]
def load(name):
    try:
        return json.load(open(f"{out}/{name}.json"))
    except Exception as e:
        return {"error": str(e)}
full, const, eager = load("distillery-full"), load("distillery-constant"), load("eager")
print("| step | median ms | peak device memory MiB |")
print("| --- | --- | --- |")
for name, r in (("Distillery, full unroll", full), ("Distillery, constant memory", const), ("eager script", eager)):
    peak = r.get("peak_memory_bytes")
    print(f"| {name} | {r.get('median_ms', r.get('error'))} | {'' if peak is None else round(peak / 2**20)} |")
if "median_ms" in full and "median_ms" in eager:
    print(f"eager / Distillery (full unroll): {eager['median_ms'] / full['median_ms']:.2f}x")
PY

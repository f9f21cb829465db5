#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The Distillery developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Everything issues 3 and 6 still need from a GPU machine that fits in one device command (≤ 10 minutes): the
# headless CUDA build, both parity tests (CUDA-graph inner loop, fused kernels), and the speed benchmarks of both
# issues, each result as a JSON line and all of them as a short table at the end. The time left until
# SESSION_MINUTES (default 9) goes to the paper accuracy runs (tests/bench/gpu-accuracy.sh, jobs in ACCURACY_JOBS);
# the next commands continue them with the same script (its state stays on the warm machine and comes back in
# <out>/accuracy: copy that to .gpu/accuracy so that a fresh machine can continue too).
# On the device: carry .gpu (Fashion-MNIST .gz files and header-only includes), then
#   tests/bench/gpu-session.sh $OUT
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${1:?usage: gpu-session.sh <out-dir>}
mkdir -p "$out"
export DISTILLERY_FASHION_MNIST_DIR=${DISTILLERY_FASHION_MNIST_DIR:-$PWD/.gpu/fashion-mnist}
log() { echo "[$(date +%T)] $*" >&2; }

nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader >&2 || true
start=$(date +%s)
tests/bench/gpu-build.sh build-gpu "$out" || exit 1
./build-gpu/app/cli/distillery-cli info > "$out/info.txt" 2>&1

log "parity: CUDA-graph inner loop"
timeout 300 build-gpu/tests/gpu/tst_innerloop_gpu 2>&1 | tee "$out/innerloop-parity.txt" >&2
log "bf16 real-image passes vs fp32"
timeout 300 build-gpu/tests/gpu/tst_bf16_gpu 2>&1 | tee "$out/bf16.txt" >&2
tests/bench/fused-benchmarks.sh build-gpu "$out/fused" speed > "$out/fused-table.txt"
tests/bench/matching-benchmarks.sh build-gpu/app/cli/distillery-cli "$out/matching" gm > "$out/matching-table.txt"
log "MTT paper step (issue 13): Distillery against the eager script, and its memory"
timeout 300 tests/bench/mtt-step.sh build-gpu/app/cli/distillery-cli "$out/mtt" > "$out/mtt-table.txt"

echo "== $(head -n 1 "$out/info.txt")"
cat build-gpu/build-note.txt 2>/dev/null
grep -i "^Build" "$out/info.txt"
echo "== parity"
grep -E "PASS|FAIL|SKIP|cases passed" "$out/innerloop-parity.txt" "$out/fused/parity.txt" "$out/bf16.txt"
echo "== issue 6 (fused kernels)"
cat "$out/fused-table.txt"
echo "== issue 3 (matching methods)"
cat "$out/matching-table.txt"
echo "== issue 13 (MTT paper step, IPC 10, 30 student steps)"
cat "$out/mtt-table.txt"

# The minutes left go to the paper accuracy runs; later commands continue them with tests/bench/gpu-accuracy.sh.
SESSION_START=$start GPU_BUILT=1 tests/bench/gpu-accuracy.sh "$out"
log "total: $(($(date +%s) - start)) s"

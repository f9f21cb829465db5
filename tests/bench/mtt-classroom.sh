#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The Distillery developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Issue 13's CPU targets for MTT (and DD) on Fashion-MNIST with the classroom preset, in one go (BENCHMARKS.md, "MTT"):
#   1. the expert stage from an empty cache (wall time),
#   2. iterations/s at IPC 1 and 10 (distillery-cli bench),
#   3. classroom-length runs at IPC 1 and 10 (hard labels), IPC 10 with learned labels (reported with its hard labels
#      too), and the same-size random real subsets, all under the classroom protocol (2 models, 300 epochs, DSA),
#   4. DD at IPC 1: iterations/s, and its set evaluated by replaying its steps and by the protocol,
#   5. peak memory (max RSS) of one paper-sized MTT step at IPC 10 (ConvNet-128, 30 student steps on 100 images),
#      full unroll against constant memory, and constant memory at 60 steps (it must stay flat).
# Everything goes to a scratch folder (default /tmp/mtt-bench); the expert cache lives there too.
#
#   tests/bench/mtt-classroom.sh [build/app/cli/distillery-cli] [scratch]
set -euo pipefail
cli=$(realpath "${1:-build/app/cli/distillery-cli}")
scratch=${2:-/tmp/mtt-bench}
rm -rf "$scratch"
mkdir -p "$scratch"
export XDG_DATA_HOME=$scratch/xdg # the default expert cache of every command below
log=$scratch/log.txt
say() { echo "$*" | tee -a "$log"; }
say "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F)"

start=$(date +%s.%N)
"$cli" experts build --preset classroom >/dev/null 2>"$scratch/experts.err"
say "expert stage (classroom, 2 experts × 2 snapshots): $(echo "$(date +%s.%N) - $start" | bc) s"
grep -a "expert trajectories:" "$scratch/experts.err" | tee -a "$log"

for ipc in 1 10; do
    "$cli" bench --method mtt --preset classroom --ipc "$ipc" --iterations 20 --warmup 3 2>/dev/null | grep "per iteration" | tee -a "$log"
done

run() { # label, then distill options
    local label=$1
    shift
    "$cli" distill --preset classroom --out "$scratch/runs" "$@" >"$scratch/$label.out" 2>"$scratch/$label.err"
    say "$label: $(grep -a "^accuracy" "$scratch/$label.err" | sed 's/^accuracy at iteration [0-9]*//' | tr '\n' ' ')"
}
run mtt-ipc1 --method mtt --ipc 1
run mtt-ipc10 --method mtt --ipc 10
run mtt-ipc10-learned-labels --method mtt --ipc 10 --labels learned
run random-ipc1 --method random --ipc 1
run random-ipc10 --method random --ipc 10
# DD (the original method) at IPC 1: its speed and both of its evaluations.
"$cli" bench --method dd --preset classroom --ipc 1 --iterations 20 --warmup 3 2>/dev/null | grep "per iteration" | tee -a "$log"
run dd-ipc1 --method dd --ipc 1

# Peak memory of one paper-sized step: 2 000 Fashion-MNIST images are enough for the (one, one-epoch) expert the
# step starts from; the step's memory does not depend on the data.
small=$scratch/small
/usr/bin/python3 - "$small" <<'PY'
import gzip, os, struct, sys
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
src = "/usr/share/datasets/fashion-mnist/"
for name, n in (("train-images-idx3-ubyte", 2000), ("train-labels-idx1-ubyte", 2000), ("t10k-images-idx3-ubyte", 500),
                ("t10k-labels-idx1-ubyte", 500)):
    b = gzip.open(src + name + ".gz").read()
    dims = b[3]
    shape = list(struct.unpack(">" + "I" * dims, b[4:4 + 4 * dims]))
    item = 1
    for d in shape[1:]:
        item *= d
    shape[0] = n
    open(os.path.join(out, name), "wb").write(b[:4] + struct.pack(">" + "I" * dims, *shape) + b[4 + 4 * dims:4 + 4 * dims + n * item])
PY
for case in "full 30" "constant 30" "constant 60" "full 15"; do
    set -- $case
    /usr/bin/time -f "%M" -o "$scratch/rss" "$cli" bench --method mtt --preset paper --ipc 10 --dataset "idx:$small" \
        --memory "$1" --syn-steps "$2" --experts 1 --max-start-epoch 1 --expert-epochs 1 --iterations 2 --warmup 1 \
        2>/dev/null | grep "per iteration" >"$scratch/bench.txt" || true
    say "paper step, IPC 10, $1 gradient, $2 student steps: peak RSS $(( $(cat "$scratch/rss") / 1024 )) MiB; $(sed 's/.*median/median/; s/(mean.*//' "$scratch/bench.txt")"
done

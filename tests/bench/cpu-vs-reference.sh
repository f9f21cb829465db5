#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The Distillery developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The reference implementation (VICO-UoE/DatasetCondensation: main_DM.py, main.py) and Distillery side by side on
# this machine's CPU, in one run, so that every ratio is taken at the same time under the same load.
#
#   tests/bench/cpu-vs-reference.sh REFERENCE_CHECKOUT [--threads N] [--quick] [--tuned-reference]
#
# Needs Debian's python3-torch, python3-torchvision and python3-scipy (the reference's imports) and a built
# distillery-cli (build/ or $DISTILLERY_CLI). Fetches nothing: the reference is a checkout you give, copied to a
# temporary folder with one patch (torch 1.13's CPU convolution returns a non-contiguous tensor, so networks.py's
# `.view(out.size(0), -1)` becomes `.reshape(...)`); Fashion-MNIST comes from dataset-fashion-mnist.
#
# The reference scripts run unmodified otherwise, with --num_eval 0 so that they only distil. A reference
# iteration's time is the difference of two run lengths divided by the iterations between them (start-up and data
# loading cancel). The evaluation loop is timed the same way on both sides: one model trained for 30 and for 330
# epochs (DSA augmentation, batch 256, ConvNet-128) on an IPC 10 set; the difference is 300 epochs. Distillery's
# distillation steps come from `distillery-cli bench` (mean over timed iterations after a warm-up).
#
# Distillery tells glibc to keep freed memory (core::tuneAllocatorForTensors); the reference runs with glibc's
# defaults, under which every large tensor is a fresh mapping paid in page faults, which are expensive on some
# virtual machines. --tuned-reference gives the reference the same allocator settings through glibc's environment
# variables, so that the ratio shows what is left without that difference.
set -euo pipefail

ref=${1:?usage: cpu-vs-reference.sh REFERENCE_CHECKOUT [--threads N] [--quick] [--tuned-reference]}
shift
threads=2
quick=0
ref_env=() # extra environment of the reference's runs
while [ $# -gt 0 ]; do
    case $1 in
    --threads) threads=$2; shift 2 ;;
    --quick) quick=1; shift ;;
    --tuned-reference) ref_env=(MALLOC_MMAP_THRESHOLD_=1073741824 MALLOC_TRIM_THRESHOLD_=1073741824 MALLOC_ARENA_MAX=1); shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
py=${PYTHON:-/usr/bin/python3} # Debian's, where python3-torch lives
here=$(cd "$(dirname "$0")/../.." && pwd)
cli=${DISTILLERY_CLI:-$here/build/app/cli/distillery-cli}
[ -x "$cli" ] || { echo "no distillery-cli at $cli (build first, or set DISTILLERY_CLI)" >&2; exit 1; }
[ -f "$ref/main_DM.py" ] && [ -f "$ref/main.py" ] || { echo "$ref: not a DatasetCondensation checkout (main_DM.py, main.py)" >&2; exit 1; }
"$py" -c 'import torch, torchvision, scipy' 2>/dev/null \
    || { echo "the reference needs python3-torch, python3-torchvision and python3-scipy" >&2; exit 1; }
fm=/usr/share/datasets/fashion-mnist
[ -f "$fm/train-images-idx3-ubyte.gz" ] || { echo "no Fashion-MNIST in $fm (dataset-fashion-mnist)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$ref" "$work/ref"
sed -i 's/\.view(out\.size(0), -1)/.reshape(out.size(0), -1)/' "$work/ref/networks.py"
mkdir -p "$work/data/FashionMNIST/raw" "$work/result"
for f in "$fm"/*.gz; do gunzip -c "$f" > "$work/data/FashionMNIST/raw/$(basename "$f" .gz)"; done

export OMP_NUM_THREADS=$threads # Debian's torch starts with one thread otherwise
now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.6f\", $1 }"; } # arithmetic on seconds
# Wall seconds of one reference run (its output kept in the work folder for a look when a run fails).
ref_seconds() {
    local log=$work/ref-$RANDOM.log start end
    start=$(now)
    (cd "$work/ref" && env "${ref_env[@]}" "$py" "$@" --data_path "$work/data" --save_path "$work/result" --num_exp 1 > "$log" 2>&1) \
        || { echo "reference run failed: $*" >&2; tail -20 "$log" >&2; exit 1; }
    end=$(now)
    calc "$end - $start"
}
# Per-iteration seconds from two run lengths.
ref_per_iteration() {
    local short=$1 long=$2 t1 t2
    shift 2
    t1=$(ref_seconds "$@" --Iteration "$short")
    t2=$(ref_seconds "$@" --Iteration "$long")
    calc "($t2 - $t1) / ($long - $short)"
}
# Mean seconds per iteration from distillery-cli bench.
ours_per_iteration() {
    "$cli" bench --device cpu --threads "$threads" --json "$@" | "$py" -c 'import json,sys; print(json.load(sys.stdin)["mean_ms"] / 1000)'
}
ours_eval_seconds() {
    local start end
    start=$(now)
    "$cli" eval --random 10 --models 1 --augment dsa --preset paper --device cpu --threads "$threads" --quiet --epochs "$1" > /dev/null
    end=$(now)
    calc "$end - $start"
}

if [ $quick = 1 ]; then dm_long=4; cls_long=40; dsa_long=2; ev_long=90; bench_n=3; else dm_long=10; cls_long=410; dsa_long=6; ev_long=330; bench_n=8; fi

rows=()
row() { rows+=("$(printf '| %s | %.4g s | %.4g s | %.2f× |' "$1" "$2" "$3" "$(calc "$2 / $3")")"); echo "${rows[-1]}" >&2; }

echo "DM paper (ConvNet-128, IPC 10, 256 real per class)…" >&2
r=$(ref_per_iteration 2 $dm_long main_DM.py --dataset FashionMNIST --ipc 10 --num_eval 0)
o=$(ours_per_iteration --method dm --ipc 10 --preset paper --iterations $bench_n --warmup 1)
row "DM, paper (ConvNet-128, IPC 10, 256 real/class)" "$r" "$o"

echo "DM classroom-sized (ConvNet-32, IPC 10, 16 real per class, noise)…" >&2
r=$(ref_per_iteration 10 $cls_long main_DM.py --dataset FashionMNIST --ipc 10 --num_eval 0 --model ConvNetW32 --batch_real 16 --init noise)
o=$(ours_per_iteration --method dm --ipc 10 --preset classroom --iterations $((bench_n * 25)) --warmup 10)
row "DM, classroom preset (ConvNet-32, IPC 10, 16 real/class, noise)" "$r" "$o"

echo "DSA paper (ConvNet-128, IPC 1)…" >&2
r=$(ref_per_iteration 1 $dsa_long main.py --dataset FashionMNIST --method DSA --ipc 1 --num_eval 0)
o=$(ours_per_iteration --method dsa --ipc 1 --preset paper --iterations $((bench_n / 2 + 1)) --warmup 1)
row "DSA, paper (ConvNet-128, IPC 1)" "$r" "$o"

echo "Evaluation loop (ConvNet-128 on an IPC 10 set, DSA, $((ev_long - 30)) epochs)…" >&2
e1=$(ref_seconds main_DM.py --dataset FashionMNIST --ipc 10 --Iteration 0 --num_eval 1 --epoch_eval_train 30)
e2=$(ref_seconds main_DM.py --dataset FashionMNIST --ipc 10 --Iteration 0 --num_eval 1 --epoch_eval_train $ev_long)
r=$(calc "$e2 - $e1")
o1=$(ours_eval_seconds 30)
o2=$(ours_eval_seconds $ev_long)
o=$(calc "$o2 - $o1")
row "Evaluation, $((ev_long - 30)) epochs of ConvNet-128 on IPC 10 (DSA)" "$r" "$o"

echo
echo "CPU: $(lscpu | sed -n 's/^Model name: *//p'), $threads threads; reference${ref_env[*]:+ (${ref_env[*]})}: torch $("$py" -c 'import torch; print(torch.__version__)'); $("$cli" --version)"
echo
echo "| setting | reference | Distillery | speed ratio |"
echo "| --- | --- | --- | --- |"
printf '%s\n' "${rows[@]}"

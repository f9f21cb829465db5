#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The Distillery developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Issue 14's score table: every method at IPC 10 on Fashion-MNIST (classroom preset: its length, network and
# protocol), then `distillery-cli eval --scores` on each set, with the published full-data accuracy (93.5 %, a
# fraction here) instead of a full-data training. Prints one Markdown row per method; the JSON stays in <out>.
# RANDOM_DRAWS=N (default 1) averages N random real subsets for the yardstick (eval --random-draws).
#   tests/bench/scores-table.sh build/app/cli/distillery-cli <out> [METHOD…]
set -uo pipefail
cli=${1:?usage: scores-table.sh <distillery-cli> <out-dir> [method…]}
out=${2:?usage: scores-table.sh <distillery-cli> <out-dir> [method…]}
shift 2
methods=("$@")
[ ${#methods[@]} -eq 0 ] && methods=(random herding dm dc dsa mtt dd frepo rfad)
mkdir -p "$out"
echo "| method | set | hard labels | random real | set, other aug. | random, other aug. | IOR | HLR | LRS | ARS |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for m in "${methods[@]}"; do
    "$cli" distill --method "$m" --preset classroom --ipc 10 --no-eval --out "$out/runs" --json > "$out/$m-run.json" \
        2> "$out/$m-run.log" || { echo "| $m | distill failed |"; continue; }
    dir=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["run_dir"])' "$out/$m-run.json")
    "$cli" eval "$dir" --scores --full-data-accuracy 0.935 --random-draws "${RANDOM_DRAWS:-1}" --json > "$out/$m-scores.json" 2> "$out/$m-scores.log" \
        || { echo "| $m | eval failed |"; continue; }
    python3 - "$m" "$out/$m-scores.json" <<'PY'
import json, sys
m, d = sys.argv[1], json.load(open(sys.argv[2]))
i, s = d["inputs"], d["scores"]
aug = any(e["augment"] == "dsa" for e in d["evaluations"][:1])
pct = lambda v: f"{100 * v:.1f}"
other_set = i["synthetic_plain"] if aug else i["synthetic_augmented"]
other_random = i["random_plain"] if aug else i["random_augmented"]
print(f"| {m} | {pct(i['synthetic'])} | {pct(i['synthetic_hard'])} | {pct(i['random'])} | {pct(other_set)} | "
      f"{pct(other_random)} | {s['ior']:+.3f} | {s['hlr']:.3f} | {s['lrs']:.3f} | {s['ars']:.3f} |")
PY
done

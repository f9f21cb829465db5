#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The Distillery developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Paper-preset accuracy runs that take longer than one device command, in chunks: every call starts or continues
# (distill --resume) each job for at most <minutes> of distillation, all jobs side by side on one GPU, then prints
# where each stands. Call it again until every job says "done". A job is method:ipc (seed 0, 5 evaluation models)
# or method:ipc:variant, the variant one of the speed switches whose accuracy must be compared with the default run:
# bf16 (--bf16), stock (--no-fused-kernels), nographs (--no-cuda-graphs), fp32 (--no-tf32).
# The state folder (run folders and one <job>.run file naming each) is what must survive between calls: keep it in
# a git-ignored folder that is carried to the device, e.g. .gpu/accuracy.
# Usage: tests/bench/accuracy-chunk.sh <distillery-cli> <state-dir> <minutes> dsa:10 dc:10 dm:1 …
# RUN_ARGS replaces the new runs' settings (default "--preset paper --seed 0 --eval-models 5"), e.g. for a CPU try.
set -uo pipefail
read -r -a run_args <<< "${RUN_ARGS:---preset paper --seed 0 --eval-models 5}"
cli=$1
state=$2
minutes=$3
shift 3
mkdir -p "$state/runs"
log() { echo "[$(date +%T)] $*" >&2; }

# method:ipc[:variant] → "name method ipc extra-args…"
parse_job() {
    local method ipc variant
    IFS=: read -r method ipc variant <<< "$1"
    local name="$method-ipc$ipc${variant:+-$variant}"
    case "$variant" in
        "") echo "$name $method $ipc" ;;
        bf16) echo "$name $method $ipc --bf16" ;;
        stock) echo "$name $method $ipc --no-fused-kernels" ;;
        nographs) echo "$name $method $ipc --no-cuda-graphs" ;;
        fp32) echo "$name $method $ipc --no-tf32" ;;
        *) echo "unknown variant '$variant' in job $1 (use bf16, stock, nographs or fp32)" >&2; return 1 ;;
    esac
}

for job in "$@"; do
    read -r name method ipc extra <<< "$(parse_job "$job")"
    [ -n "$name" ] || continue # an unknown variant, already named on stderr
    if [ -f "$state/$name.done" ]; then
        continue
    fi
    (
        if [ -f "$state/$name.run" ]; then
            args=(distill --resume "$state/runs/$(cat "$state/$name.run")")
        else
            # shellcheck disable=SC2206 # extra holds separate words
            args=(distill --method "$method" --ipc "$ipc" "${run_args[@]}" $extra --out "$state/runs")
        fi
        log "$name: ${args[*]}"
        "$cli" "${args[@]}" --time-limit "$minutes" --json --quiet > "$state/$name.json" 2> "$state/$name.log"
        rc=$?
        dir=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["run_dir"])' "$state/$name.json" 2>/dev/null)
        [ -n "$dir" ] && basename "$dir" > "$state/$name.run" # relative: the state folder may move between calls
        if [ $rc -eq 0 ] && python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); sys.exit(0 if not r["stopped"] and r["evaluations"] else 1)' "$state/$name.json"; then
            cp "$state/$name.json" "$state/$name.done"
        fi
        log "$name: exit $rc"
    ) &
done
wait

for job in "$@"; do
    read -r name _ <<< "$(parse_job "$job" 2>/dev/null)"
    [ -n "$name" ] || continue
    python3 - "$state" "$name" <<'PY'
import json, sys, os
state, name = sys.argv[1], sys.argv[2]
path = os.path.join(state, name + ".done")
done = os.path.exists(path)
try:
    r = json.load(open(path if done else os.path.join(state, name + ".json")))
except (OSError, ValueError):
    print("%-10s no result (see %s.log)" % (name, name))
    sys.exit(0)
if done:
    e = r["evaluations"][-1]
    print("%-10s done: %d iterations, %.2f ± %.2f %% (%d models) %s" % (name, r["iterations"], 100 * e["mean"], 100 * e["std"],
          len(e["accuracies"]), r["run_dir"]))
else:
    print("%-10s at iteration %d of %d (started this chunk at %d)" % (name, r["iterations"], r["config"]["iterations"],
          r.get("start_iteration", 0)))
PY
done

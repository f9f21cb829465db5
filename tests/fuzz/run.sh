#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The Distillery developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Builds the fuzz targets (the fuzz preset: clang, libFuzzer, ASan + UBSan, in build-fuzz/), makes the seed corpus,
# replays every saved regression input, then fuzzes each target. Prints one line per target: executions, executions
# per second, corpus size, result. Exits 1 if any target found a crash, a leak, a timeout or an allocation over the
# memory limit (its input is left in build-fuzz/findings/ — copy it into tests/fuzz/regressions/<target>/ once the
# cause is fixed, so it is replayed from then on).
#
#   tests/fuzz/run.sh [SECONDS] [TARGET…]    a campaign: SECONDS per target (default 60), growing build-fuzz/corpus/
#   tests/fuzz/run.sh --runs N [TARGET…]     the CI check: exactly N inputs per target from the committed seeds, seed 1
#
# A target is fuzzed by one run.sh at a time (a lock per target), so a campaign uses every core by starting one run.sh
# per core with different targets; each keeps its own seeds and leaves only its own targets' findings.
#
# Only the second is repeatable: a timed run tries as many inputs as the machine manages, so what it finds depends on
# the machine and the hour. CI runs the repeatable check; campaigns (FUZZ_SEED=0 for a fresh libFuzzer seed) find
# new inputs, which then become regressions.
runs=
if [ "${1:-}" = --runs ]; then
    runs=${2:?--runs needs a number}
    shift 2
    budget=(-runs="$runs")
else
    seconds=${1:-60}
    shift || true
    budget=(-max_total_time="$seconds")
fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(idx idx_gzip cifar medmnist npy npz safetensors timeline selection imagefile config metrics)
fi

mkdir -p build-fuzz
# Builds take the machine-wide build lock, so this never compiles beside another build of this machine
# (DISTILLERY_BUILD_LOCK names another lock file).
build_lock=(flock "${DISTILLERY_BUILD_LOCK:-/tmp/distillery-build.lock}")
"${build_lock[@]}" cmake --preset fuzz >/dev/null
"${build_lock[@]}" cmake --build build-fuzz --target fuzz_targets -j "$(nproc)"

# A repeatable check starts from the seeds alone (a corpus of its own, removed at the end); a campaign keeps what
# earlier campaigns found. The seeds are this run's own, so another run.sh writing its seeds never disturbs them.
findings=build-fuzz/findings
mkdir -p build-fuzz/corpus "$findings"
if [ -n "$runs" ]; then
    work=$(mktemp -d build-fuzz/corpus-check.XXXXXX)
    seeds=$work/seeds
    trap 'rm -rf "$work"' EXIT
else
    work=build-fuzz/corpus
    seeds=$(mktemp -d build-fuzz/seeds.XXXXXX)
    trap 'rm -rf "$seeds"' EXIT
fi
/usr/bin/python3 tests/fuzz/make-corpus.py "$seeds"

# Memory: a header that promises gigabytes must be refused before it is allocated, so any single allocation over
# 2 GB is a finding, and so is a process over 2 GB (every target peaks below 0.8 GB in a 60 s run). Leaks: LibTorch's
# and OpenCV's process-lifetime caches are not per input; libFuzzer's own leak check (per input) stays on.
export ASAN_OPTIONS="abort_on_error=1:allocator_may_return_null=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
limits=(-rss_limit_mb=2048 -malloc_limit_mb=2048 -timeout=30)
# A fixed seed and a fixed number of inputs make the check repeatable; FUZZ_SEED=0 lets libFuzzer pick a seed.
seed=(-seed="${FUZZ_SEED:-1}")
fixed_addresses=()
if [ -n "$runs" ]; then
    seed=(-seed=1 -reload=0)
    # LibTorch's and OpenCV's thread pools would make the covered code depend on scheduling, and addresses would
    # reach libFuzzer's table of compared values (pointer comparisons): one thread and no address randomisation.
    export OMP_NUM_THREADS=1 OPENCV_FOR_THREADS_NUM=1
    if setarch "$(uname -m)" -R true 2>/dev/null; then
        fixed_addresses=(setarch "$(uname -m)" -R)
    else
        echo "run.sh: cannot turn off address randomisation here; the check may differ slightly from run to run" >&2
    fi
fi

failed=0
printf '%-12s %12s %10s %8s  %s\n' target executions exec/s corpus result
for t in "${targets[@]}"; do
    exe=build-fuzz/tests/fuzz/fuzz_$t
    # Two runs on one target would share its corpus and findings: the second waits for the first.
    exec 9>"build-fuzz/.fuzz-$t.lock"
    if ! flock -n 9; then
        echo "run.sh: another tests/fuzz/run.sh fuzzes $t; waiting for it" >&2
        flock 9
    fi
    rm -f "$findings/$t.log" "$findings/$t-"*
    # Every input that once crashed a target must now be refused or read cleanly.
    if [ -d "tests/fuzz/regressions/$t" ]; then
        shopt -s nullglob
        for input in tests/fuzz/regressions/"$t"/*; do
            if ! "$exe" "${limits[@]}" "$input" >"$findings/$t-replay.log" 2>&1; then
                echo "$t: regression input $input fails again:" >&2
                tail -20 "$findings/$t-replay.log" >&2
                failed=1
            fi
        done
        shopt -u nullglob
    fi
    mkdir -p "$work/$t"
    log="$findings/$t.log"
    result=ok
    if ! "${fixed_addresses[@]}" "$exe" "${limits[@]}" "${seed[@]}" "${budget[@]}" -print_final_stats=1 -artifact_prefix="$findings/$t-" \
        "$work/$t" "$seeds/$t" >"$log" 2>&1; then
        artifact=$(ls "$findings" | grep -E "^$t-(crash|leak|timeout|oom|slow-unit)" | head -1 || true)
        result="FOUND ${artifact:-(no input saved, see $log)}"
        failed=1
    fi
    executions=$(grep -ao 'stat::number_of_executed_units: *[0-9]*' "$log" | awk '{print $2}' | tail -1 || true)
    rate=$(grep -ao 'stat::average_exec_per_sec: *[0-9]*' "$log" | awk '{print $2}' | tail -1 || true)
    corpus=$(ls "$work/$t" | wc -l)
    printf '%-12s %12s %10s %8s  %s\n' "$t" "${executions:-?}" "${rate:-?}" "$corpus" "$result"
    if [ "$result" != ok ]; then
        grep -aE "ERROR|SUMMARY|==[0-9]+==|#[0-9]+ 0x" "$log" | head -25 >&2 || true
        if [ -n "$artifact" ]; then
            echo "$t: keep the input as a regression: cp $findings/$artifact tests/fuzz/regressions/$t/" >&2
        fi
    fi
    exec 9>&-
done
exit $failed

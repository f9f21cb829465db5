#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The Distillery developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# One device command's worth of the paper accuracy runs (tests/bench/accuracy-chunk.sh), the same line every time:
#   tests/bench/gpu-accuracy.sh $OUT            (carry .gpu)
# It builds if the machine is fresh (incremental otherwise), keeps the runs' state in build-gpu/accuracy while the
# machine stays warm and starts from .gpu/accuracy when it is not, spends what is left of SESSION_MINUTES (default 9,
# counted from SESSION_START if set) on the jobs in ACCURACY_JOBS, and copies the state to <out>/accuracy — copy
# that to .gpu/accuracy here, so that a fresh machine can continue.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${1:?usage: gpu-accuracy.sh <out-dir>}
mkdir -p "$out"
export DISTILLERY_FASHION_MNIST_DIR=${DISTILLERY_FASHION_MNIST_DIR:-$PWD/.gpu/fashion-mnist}
start=${SESSION_START:-$(date +%s)}
state=build-gpu/accuracy
jobs=${ACCURACY_JOBS:-dm:10 dm:10:stock dm:1 dm:50 dsa:10 dc:10}

if [ -z "${GPU_BUILT:-}" ]; then # gpu-session.sh has just built
    tests/bench/gpu-build.sh build-gpu "$out" || exit 1
fi
if [ ! -d "$state" ] && [ -d .gpu/accuracy ]; then
    cp -r .gpu/accuracy "$state"
fi
# Distillation minutes left before the command's limit, keeping one minute for final evaluations and the copy.
left=$(( (${SESSION_MINUTES:-9} * 60 - ($(date +%s) - start) - 60) / 60 ))
if [ "$left" -ge 1 ]; then
    echo "== accuracy, $left minutes of distillation (jobs: $jobs)"
    # shellcheck disable=SC2086 # one word per job
    tests/bench/accuracy-chunk.sh build-gpu/app/cli/distillery-cli "$state" "$left" $jobs
else
    echo "== accuracy: no time left in this command"
fi
rm -rf "$out/accuracy"
cp -r "$state" "$out/accuracy" 2>/dev/null || true

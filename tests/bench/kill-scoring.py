#!/usr/bin/python3
# SPDX-FileCopyrightText: 2026 The Distillery developers
# SPDX-License-Identifier: GPL-3.0-or-later
"""kill -9 during the loss scoring of data selection (issues 14 and 16, BENCHMARKS.md "Reliability").

Each trial starts a run with a data selection (`distill --select drop-hardest:0.5`) against one score folder, so it
first trains the scoring network, and kills it with SIGKILL after a random delay. After each kill it checks that the
kept progress file (`<scores>.progress.safetensors`) is whole, counts temporary files a killed write left, and bounds
the work the kill lost: the time from the newest progress file this trial wrote (or from the trial's start, data
loading included) to the kill. At the end a run without a kill must continue the kept progress and write the scores;
with `--reference` (a score file of the same key from a scoring that never stopped) the two files must be equal byte
for byte.

    tests/bench/kill-scoring.py build/app/cli/distillery-cli --trials 6 \\
        --reference ~/.local/share/distillery/scores/fashion-mnist-convnet32x3-e10-1d6d49b7.safetensors
"""
import argparse
import os
import random
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from importlib import import_module

kill_test = import_module("kill-test")
safetensors_whole, run_and_kill, work_lost = kill_test.safetensors_whole, kill_test.run_and_kill, kill_test.work_lost


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("cli")
    p.add_argument("--dataset", default="fashion-mnist")
    p.add_argument("--trials", type=int, default=6)
    p.add_argument("--min-delay", type=float, default=5.0)
    p.add_argument("--max-delay", type=float, default=90.0, help="kills come uniformly in [min, max] seconds")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--reference", help="a score file of the same key, made without a stop")
    p.add_argument("--out", default="/tmp/kill-scoring")
    args = p.parse_args()
    random.seed(args.seed)
    scores = os.path.join(args.out, "scores")
    subprocess.run(["rm", "-rf", args.out], check=True)
    os.makedirs(args.out)
    run = [args.cli, "distill", "--dataset", args.dataset, "--method", "dm", "--ipc", "1", "--iterations", "1", "--preset",
           "classroom", "--no-eval", "--select", "drop-hardest:0.5", "--scores-dir", scores, "--out",
           os.path.join(args.out, "runs"), "--threads", str(args.threads)]

    def files():
        return sorted(os.path.join(scores, f) for f in os.listdir(scores)) if os.path.isdir(scores) else []

    print("trial  delay_s  scores  progress  whole  torn  leftovers  lost_s")
    torn_total = 0
    lost = []
    for trial in range(args.trials):
        delay = random.uniform(args.min_delay, args.max_delay)
        finished, started, killed = run_and_kill(run, delay)
        progress = [f for f in files() if f.endswith(".progress.safetensors")]
        done = [f for f in files() if f.endswith(".safetensors") and f not in progress]
        torn = [f for f in progress + done if not safetensors_whole(f)]
        leftovers = [f for f in files() if "partial" in os.path.basename(f)]
        torn_total += len(torn)
        lost_s = work_lost(progress + done, started, killed)
        if not finished:
            lost.append(lost_s)
        print(f"{trial + 1:5d}  {delay:7.2f}  {len(done):6d}  {len(progress):8d}  {len(progress) + len(done) - len(torn):5d}  "
              f"{len(torn):4d}  {len(leftovers):9d}  {lost_s if not finished else 0:6.1f}"
              f"{'  (finished before the kill)' if finished else ''}")
        if done:
            break

    final = subprocess.run(run, capture_output=True, text=True)
    continued = re.search(r"the scoring continues where it stopped \([^)]*\)", final.stderr)
    written = [f for f in files() if not f.endswith(".progress.safetensors")]
    if lost:
        print(f"kills that landed: {len(lost)}, work lost: at most {max(lost):.1f} s, median {sorted(lost)[len(lost) // 2]:.1f} s")
    print(f"final run: exit {final.returncode}, {continued.group(0) if continued else 'no scoring continued'}; "
          f"files left: {[os.path.basename(f) for f in files()]}; torn files seen: {torn_total}")
    same = True
    if args.reference and written:
        same = open(args.reference, "rb").read() == open(written[0], "rb").read()
        print(f"scores equal to {args.reference} byte for byte: {same}")
    return 0 if final.returncode == 0 and torn_total == 0 and same and len(written) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
# SPDX-FileCopyrightText: 2026 The Distillery developers
# SPDX-License-Identifier: GPL-3.0-or-later
"""kill -9 during expert training (issues 13 and 16, BENCHMARKS.md "Reliability").

Each trial runs `distillery-cli experts build` into one shared cache folder and kills it with SIGKILL after a random
delay, so kills land while data loads, inside an expert's training and inside a file's write. After each kill it
checks every expert file a run would read (`expert-NNNN.safetensors`) and every kept progress file
(`progress-NNNN.safetensors`) is whole, counts the temporary files a killed write left (a run never reads them), and
notes how many experts were complete. `lost_s` bounds the work the kill lost: the time from the newest expert or
progress file this trial wrote (or from the trial's start, data loading included) to the kill. At the end a build
without a kill must find the finished experts, continue the one in progress, train the missing ones, and
`experts list` must report no problems.

    tests/bench/kill-experts.py build/app/cli/distillery-cli --dataset idx:/tmp/small --trials 20 --out /tmp/kill-experts
"""
import argparse
import json
import os
import random
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from importlib import import_module

kill_test = import_module("kill-test")
safetensors_whole, run_and_kill, work_lost = kill_test.safetensors_whole, kill_test.run_and_kill, kill_test.work_lost


def expert_files(cache):
    out = []
    for entry in sorted(os.listdir(cache)) if os.path.isdir(cache) else []:
        folder = os.path.join(cache, entry)
        for name in sorted(os.listdir(folder)):
            out.append(os.path.join(folder, name))
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("cli")
    p.add_argument("--dataset", required=True)
    p.add_argument("--experts", type=int, default=12)
    p.add_argument("--trials", type=int, default=20)
    p.add_argument("--max-delay", type=float, default=6.0, help="kills come uniformly in [0.3, this] seconds")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", default="/tmp/kill-experts")
    args = p.parse_args()
    random.seed(args.seed)
    cache = os.path.join(args.out, "experts")
    subprocess.run(["rm", "-rf", args.out], check=True)
    os.makedirs(args.out)
    def command(experts, folder):
        return [args.cli, "experts", "build", "--dataset", args.dataset, "--experts", str(experts), "--max-start-epoch",
                "1", "--expert-epochs", "1", "--experts-dir", folder, "--threads", "2"]
    build = command(args.experts, cache)

    # One expert's training time, for the work a kill can lose.
    started = time.time()
    subprocess.run(command(1, os.path.join(args.out, "timing")), check=True, capture_output=True)
    print(f"one expert with loading: {time.time() - started:.1f} s")

    print("trial  delay_s  complete  in_progress  whole  torn  leftovers  lost_s")
    torn_total = 0
    lost = []
    for trial in range(args.trials):
        delay = random.uniform(0.3, args.max_delay)
        finished, started, killed = run_and_kill(build, delay)
        files = expert_files(cache)
        experts = [f for f in files if re.fullmatch(r"expert-\d{4}\.safetensors", os.path.basename(f))]
        progress = [f for f in files if re.fullmatch(r"progress-\d{4}\.safetensors", os.path.basename(f))]
        torn = [f for f in experts + progress if not safetensors_whole(f)]
        leftovers = [f for f in files if "partial" in os.path.basename(f)]
        torn_total += len(torn)
        lost_s = work_lost(experts + progress, started, killed)
        if not finished:
            lost.append(lost_s)
        print(f"{trial + 1:5d}  {delay:7.2f}  {len(experts):8d}  {len(progress):11d}  "
              f"{len(experts) + len(progress) - len(torn):5d}  {len(torn):4d}  {len(leftovers):9d}  "
              f"{lost_s if not finished else 0:6.1f}{'  (finished before the kill)' if finished else ''}")

    final = subprocess.run(build, capture_output=True, text=True)
    found = re.search(r"(\d+) of (\d+) found", final.stderr)
    listed = json.loads(subprocess.run([args.cli, "experts", "list", "--json", "--experts-dir", cache],
                                       capture_output=True, text=True, check=True).stdout)
    problems = sum(len(e["problems"]) for e in listed)
    continued = re.search(r"expert \d+: continuing where it stopped \([^)]*\)", final.stderr)
    if lost:
        print(f"kills that landed: {len(lost)}, work lost: at most {max(lost):.1f} s, median {sorted(lost)[len(lost) // 2]:.1f} s")
    print(f"final build: {continued.group(0) if continued else 'no expert continued'}")
    print(f"final build: exit {final.returncode}, {found.group(0) if found else '?'} before it; "
          f"list: {sum(e['experts'] for e in listed)} experts, {problems} problems; torn expert files seen: {torn_total}")
    return 0 if final.returncode == 0 and problems == 0 and torn_total == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
# SPDX-FileCopyrightText: 2026 The Distillery developers
# SPDX-License-Identifier: GPL-3.0-or-later
"""kill -9 at random moments of a distillation and measure what each kill lost (issue 16, BENCHMARKS.md "Reliability").

Each trial starts a classroom DM run on Fashion-MNIST, kills it with SIGKILL after a random delay (loading, the first
iteration, between and during checkpoint writes, the final writes), then checks the run folder as a later run would
read it and continues it with --resume for a few seconds. Per trial it prints: when the kill came, the last iteration
logged, the checkpoint's iteration, the work lost (seconds of stepping between the two), whether every file in the
folder is whole, and whether the resume continued from the checkpoint.

    tests/bench/kill-test.py build/app/cli/distillery-cli --trials 20 --seed 1 --out /tmp/kills
    tests/bench/kill-test.py build/app/cli/distillery-cli --method dsa --trials 6 --seed 2 --out /tmp/kills-dsa
    tests/bench/kill-test.py build/app/cli/distillery-cli --checkpoint-seconds 0.000001 --trials 6 --out /tmp/kills-w
"""
import argparse
import json
import os
import random
import signal
import struct
import subprocess
import sys
import time


def safetensors_whole(path):
    """True when the file's header parses and its size is exactly what the header describes."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        return False
    n = struct.unpack("<Q", data[:8])[0]
    try:
        header = json.loads(data[8:8 + n])
    except ValueError:
        return False
    end = max((v["data_offsets"][1] for k, v in header.items() if k != "__metadata__"), default=0)
    return len(data) == 8 + n + end


def run_and_kill(command, delay):
    """Runs `command` (output discarded) and SIGKILLs it after `delay` s unless it ended first.
    Returns (finished, started, killed): whether it ended by itself, and the wall-clock times of its start and the kill."""
    started = time.time()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    finished = proc.poll() is not None
    if not finished:
        proc.send_signal(signal.SIGKILL)
    killed = time.time()
    proc.wait()
    return finished, started, killed


def work_lost(paths, started, killed):
    """An upper bound on the work a kill lost: the time from the newest of `paths` written since `started` (or from
    `started`, loading included) to the kill."""
    written = [os.path.getmtime(f) for f in paths if os.path.getmtime(f) >= started]
    return killed - max(written + [started])


def checkpoint_iteration(folder):
    path = os.path.join(folder, "checkpoint.safetensors")
    if not os.path.exists(path):
        return 0
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        return int(json.loads(f.read(n))["__metadata__"]["iteration"])


def steps(folder):
    """iteration → elapsed step seconds, from metrics.jsonl (a line cut by the kill is skipped, as readers do)."""
    out = {}
    try:
        with open(os.path.join(folder, "metrics.jsonl")) as f:
            for line in f:
                try:
                    e = json.loads(line)
                except ValueError:
                    continue
                if e.get("type") == "step":
                    out[e["iteration"]] = e["seconds"]
    except FileNotFoundError:
        pass
    return out


def files_whole(folder):
    problems = []
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if name.endswith(".safetensors") and ".partial" not in name and not safetensors_whole(path):
            problems.append(name + " is not whole")
        if name == "config.json":
            try:
                json.load(open(path))
            except ValueError:
                problems.append("config.json does not parse")
    return problems


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("cli")
    p.add_argument("--trials", type=int, default=20)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", default="/tmp/distillery-kills")
    p.add_argument("--iterations", type=int, default=2000)
    p.add_argument("--max-delay", type=float, default=90.0, help="kills come uniformly in [0.3, this] seconds")
    p.add_argument("--method", default="dm")
    p.add_argument("--checkpoint-seconds", default=None,
                   help="e.g. 0.000001: a checkpoint after every iteration, so that many kills land inside a write")
    args = p.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    rows = []
    for trial in range(args.trials):
        out = os.path.join(args.out, "trial%02d" % trial)
        os.makedirs(out, exist_ok=True)
        # Half the kills early (loading, first iterations, first checkpoint), half anywhere up to --max-delay.
        delay = rng.uniform(0.3, 8.0) if trial % 2 == 0 else rng.uniform(8.0, args.max_delay)
        cmd = [args.cli, "distill", "--dataset", "fashion-mnist", "--method", args.method, "--ipc", "10", "--preset",
               "classroom", "--device", "cpu", "--seed", str(trial), "--iterations", str(args.iterations), "--no-eval",
               "--quiet", "--out", out]
        if args.checkpoint_seconds is not None:
            cmd += ["--checkpoint-seconds", args.checkpoint_seconds]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        started = time.monotonic()
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        folders = [os.path.join(out, d) for d in os.listdir(out)]
        if not folders:
            rows.append((trial, delay, "-", "-", "-", "killed before the run folder existed", "nothing to resume"))
            continue
        folder = folders[0]
        logged = steps(folder)
        last = max(logged) if logged else 0
        kept = checkpoint_iteration(folder)
        lost = logged.get(last, 0.0) - logged.get(kept, 0.0) if last > kept else 0.0
        problems = files_whole(folder)
        leftovers = [n for n in os.listdir(folder) if ".partial" in n]
        resume = subprocess.run([args.cli, "distill", "--resume", folder, "--time-limit", "0.05", "--no-eval", "--quiet"],
                                capture_output=True, text=True, errors="replace")
        after = checkpoint_iteration(folder)
        resumed = "exit %d, checkpoint %d → %d" % (resume.returncode, kept, after)
        if resume.returncode != 0:
            resumed += ": " + resume.stderr.strip().splitlines()[-1][:120]
        state = "; ".join(problems) if problems else "all whole"
        if leftovers:
            state += " (a killed write's %s, removed by the resume)" % ", ".join(leftovers)
        rows.append((trial, delay, last, kept, "%.1f" % lost, state, resumed))
    print("| trial | kill after (s) | last iteration logged | checkpoint | work lost (s of stepping) | files | resume |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print("| %d | %.1f | %s | %s | %s | %s | %s |" % r)
    worst = max((float(r[4]) for r in rows if r[4] != "-"), default=0.0)
    failed = [r for r in rows if not str(r[6]).startswith("exit 0") and r[6] != "nothing to resume"]
    print("\nworst loss %.1f s; %d of %d resumes failed" % (worst, len(failed), len(rows)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

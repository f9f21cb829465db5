#!/usr/bin/env python3
# SPDX-FileCopyrightText: 2026 The Distillery developers
# SPDX-License-Identifier: GPL-3.0-or-later
"""One line per result of a benchmark script's results.jsonl: `distillery-cli bench` (with the stock path where
the fused kernels ran), the eager PyTorch reference, and `distill` runs. Usage: summarize.py results.jsonl …"""
import json
import sys


def ms(r):
    return "%.3f ms" % r["median_ms"]


def switches(r):
    perf = r.get("config", {}).get("performance", {})
    off = [name for name, key in (("no TF32", "tf32"), ("no CUDA graphs", "cudaGraphs")) if perf.get(key) is False]
    on = [name for name, key in (("channels-last", "channelsLast"), ("bf16", "bf16")) if perf.get(key)]
    return ", ".join(on + off)


def describe(r):
    if r.get("script") == "eager_reference":
        return "eager PyTorch reference, %s IPC %s step on %s: %s" % (r["method"], r["ipc"], r.get("device_name"), ms(r))
    if "median_ms" in r:
        stock = r.get("without_fused_kernels")
        tail = (", stock %s, %.2fx" % (ms(stock), stock["median_ms"] / r["median_ms"])) if stock else ""
        extra = switches(r)
        extra = " [%s]" % extra if extra else ""
        fused = " (fused)" if r.get("fused_kernels") else ""
        notes = "".join("\n    " + n for n in r.get("notes", []))
        if r.get("method") == "forward":
            what = "forward of %d %s images" % (r["images"], r.get("split", "train"))
        else:
            what = "%s IPC %s step" % (r.get("method"), r.get("ipc"))
            params = r.get("config", {}).get("params", {})
            if r.get("method") in ("dc", "dsa") and params.get("outerLoops"):
                what += " (outer %s, inner %s)" % (params["outerLoops"], params["innerLoops"])
        peak = r.get("peak_memory_bytes", 0) / 2 ** 30
        return "%s%s: %s%s%s, peak %.1f GiB%s" % (what, extra, ms(r), fused, tail, peak, notes)
    if "evaluations" in r:
        last = r["evaluations"][-1]["summary"] if r["evaluations"] else "no evaluation"
        cfg = r.get("config", {})
        return "distill %s IPC %s, %d iterations: %s" % (cfg.get("method"), cfg.get("ipc"), r.get("iterations", 0), last)
    return json.dumps(r)[:240]


for path in sys.argv[1:]:
    for line in open(path):
        try:
            print(describe(json.loads(line)))
        except (ValueError, KeyError, TypeError):
            continue

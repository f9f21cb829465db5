#!/usr/bin/env python3
# SPDX-FileCopyrightText: 2026 The Distillery developers
# SPDX-License-Identifier: GPL-3.0-or-later
"""The kernel ridge solve's share of a kernel method's step (issue 14), from `distillery-cli bench --trace FILE`:
the time inside the Cholesky factorisation, the Cholesky solve and their backward passes (union of their intervals,
so nested calls count once), against the span of the traced iterations. The trace's own overhead inflates every op,
so the share is an estimate; the bench's median without --trace is the step time to quote.
Usage: kernel-solve-share.py TRACE.json"""
import json
import sys

SOLVE = ("aten::linalg_cholesky_ex", "aten::cholesky_solve", "LinalgCholeskyExBackward0", "CholeskySolveBackward0")

trace = json.load(open(sys.argv[1]))
events = [e for e in (trace["traceEvents"] if isinstance(trace, dict) else trace) if e.get("ph") == "X"]
span = max(e["ts"] + e["dur"] for e in events) - min(e["ts"] for e in events)
intervals = sorted((e["ts"], e["ts"] + e["dur"]) for e in events if e["name"] in SOLVE)
solve, end = 0.0, float("-inf")
for start, stop in intervals:
    if stop <= end:
        continue
    solve += stop - max(start, end)
    end = stop
calls = sum(1 for e in events if e["name"] == "aten::linalg_cholesky_ex")
print(json.dumps({"span_ms": span / 1000, "solve_ms": solve / 1000, "share": solve / span, "cholesky_calls": calls}))

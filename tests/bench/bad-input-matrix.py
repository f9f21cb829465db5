#!/usr/bin/python3
# SPDX-FileCopyrightText: 2026 The Distillery developers
# SPDX-License-Identifier: GPL-3.0-or-later
"""The bad-input matrix of BENCHMARKS.md "Reliability": every case of issue 16 and a few more, each made here from
nothing (numpy, hand-written bytes), run through distillery-cli (and the window for its scripted runs), and printed as
one Markdown row: case → exit code → seconds → the first line of the message.

    tests/bench/bad-input-matrix.py build [--work /tmp/bad-inputs]

A case passes when its exit code is the expected one and, for refusals, the message names the file or setting.
The script exits 1 if any case does not pass (a crash shows as a negative exit code, a hang as "timeout").
"""
import argparse
import gzip
import json
import os
import shutil
import struct
import subprocess
import sys
import time

import numpy as np


def dicom(rows, cols, pixels):
    """A DICOM part 10 file, explicit VR little endian, 16 bits allocated, 12 stored (as tests/common/fixtures.cpp)."""
    def el(g, e, vr, val):
        if len(val) % 2:
            val += b"\0" if vr in ("UI", "OB", "OW") else b" "
        if vr in ("OB", "OW", "SQ", "UN", "UT"):
            return struct.pack("<HH", g, e) + vr.encode() + b"\0\0" + struct.pack("<I", len(val)) + val
        return struct.pack("<HH", g, e) + vr.encode() + struct.pack("<H", len(val)) + val
    sop, inst = b"1.2.840.10008.5.1.4.1.1.7", b"1.2.3.4.5.6.7"
    meta = el(2, 1, "OB", b"\0\1") + el(2, 2, "UI", sop) + el(2, 3, "UI", inst) + el(2, 0x10, "UI", b"1.2.840.10008.1.2.1")
    meta = el(2, 0, "UL", struct.pack("<I", len(meta))) + meta
    us = lambda v: struct.pack("<H", v)
    ds = (el(8, 0x16, "UI", sop) + el(8, 0x18, "UI", inst) + el(0x28, 2, "US", us(1)) + el(0x28, 4, "CS", b"MONOCHROME2")
          + el(0x28, 0x10, "US", us(rows)) + el(0x28, 0x11, "US", us(cols)) + el(0x28, 0x100, "US", us(16))
          + el(0x28, 0x101, "US", us(12)) + el(0x28, 0x102, "US", us(11)) + el(0x28, 0x103, "US", us(0))
          + el(0x7FE0, 0x10, "OW", pixels.astype("<u2").tobytes()))
    return b"\0" * 128 + b"DICM" + meta + ds


def medmnist(path, labels_dtype="|u1", train_labels=None, n=40, images=None):
    rng = np.random.default_rng(0)
    imgs = images if images is not None else rng.integers(0, 255, (n, 8, 8), dtype=np.uint8)
    lab = np.array([i % 2 for i in range(len(imgs))]).reshape(-1, 1) if train_labels is None else train_labels
    np.savez(path, train_images=imgs, train_labels=lab.astype(labels_dtype), test_images=imgs[:10],
             test_labels=lab[:10].astype(labels_dtype))


def idx(path, dims, payload):
    data = bytes([0, 0, 8, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims) + np.asarray(payload, np.uint8).tobytes()
    with open(path, "wb") as f:
        f.write(data)


def idx_folder(folder, train_labels=None, test_labels=None, n=30):
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(1)
    tl = train_labels if train_labels is not None else [i % 3 for i in range(n)]
    sl = test_labels if test_labels is not None else [i % 3 for i in range(9)]
    idx(os.path.join(folder, "train-images-idx3-ubyte"), [len(tl), 8, 8], rng.integers(0, 255, len(tl) * 64))
    idx(os.path.join(folder, "train-labels-idx1-ubyte"), [len(tl)], tl)
    idx(os.path.join(folder, "t10k-images-idx3-ubyte"), [len(sl), 8, 8], rng.integers(0, 255, len(sl) * 64))
    idx(os.path.join(folder, "t10k-labels-idx1-ubyte"), [len(sl)], sl)
    return "idx:" + folder


def dicom_folder(folder, damage=None):
    for c in ("a", "b"):
        os.makedirs(os.path.join(folder, c), exist_ok=True)
        for i in range(3):
            with open(os.path.join(folder, c, "%d.dcm" % i), "wb") as f:
                f.write(dicom(12, 12, np.arange(144) * (i + 1) % 4096))
    if damage:
        path = os.path.join(folder, "a", "0.dcm")
        data = open(path, "rb").read()
        open(path, "wb").write(damage(data))
    return "folder:" + folder


def png_chunk(kind, data):
    import zlib
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("build")
    p.add_argument("--work", default="/tmp/distillery-bad-inputs")
    args = p.parse_args()
    cli = os.path.abspath(os.path.join(args.build, "app/cli/distillery-cli"))
    gui = os.path.abspath(os.path.join(args.build, "app/gui/distillery"))
    w = args.work
    shutil.rmtree(w, ignore_errors=True)
    os.makedirs(w)
    out = os.path.join(w, "runs")
    quick = ["--method", "random", "--ipc", "1", "--no-eval", "--device", "cpu", "--quiet", "--out", out]
    dm = ["--method", "dm", "--ipc", "2", "--iterations", "3", "--width", "8", "--no-eval", "--device", "cpu", "--quiet",
          "--out", out]
    cases = []  # (defect, case, command, expected exit, fragment the message must hold)

    def distill(defect, name, source, expected, fragment, extra=None):
        cases.append((defect, name, [cli, "distill", "--dataset", source] + (extra or quick), expected, fragment))

    # 1. MedMNIST int64 labels.
    medmnist(os.path.join(w, "i8.npz"), "<i8")
    distill(1, "MedMNIST npz with int64 (`<i8`) labels", "medmnist:" + os.path.join(w, "i8.npz"), 0, "")
    # 2. DICOM.
    distill(2, "image folder with a DICOM cut inside its pixel data",
            dicom_folder(os.path.join(w, "dcm-pixels"), lambda d: d[:-100]), 1, "0.dcm")
    distill(2, "image folder with a DICOM cut inside its header",
            dicom_folder(os.path.join(w, "dcm-header"), lambda d: d[:300]), 1, "0.dcm")
    distill(2, "DICOM whose Samples per Pixel has VR IS",
            dicom_folder(os.path.join(w, "dcm-vr"), lambda d: d.replace(b"\x28\x00\x02\x00US", b"\x28\x00\x02\x00IS")), 1,
            "0.dcm")
    distill(2, "valid 12-bit DICOM folder", dicom_folder(os.path.join(w, "dcm-good")), 0, "")
    # 3. One huge label.
    labels = np.array([i % 2 for i in range(40)]).reshape(-1, 1)
    labels[5] = 2147483647
    medmnist(os.path.join(w, "huge-label.npz"), "<i4", labels)
    distill(3, "MedMNIST label 2 147 483 647", "medmnist:" + os.path.join(w, "huge-label.npz"), 1, "huge-label.npz")
    # 5. The window's scripted runs.
    env_gui = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=os.path.join(w, "xdg-config"),
                   XDG_DATA_HOME=os.path.join(w, "xdg-data"))
    os.makedirs(os.path.join(w, "not-a-run"))
    cases.append((5, "window: --resume of a folder that is no run, --quit-after-iterations 2",
                  [gui, "--resume", os.path.join(w, "not-a-run"), "--quit-after-iterations", "2"], 1, "not-a-run"))
    cases.append((5, "window: --autostart on missing data", [gui, "--autostart", "--quit-after-iterations", "2",
                  "--dataset", "idx:" + os.path.join(w, "missing")], 1, "missing"))
    cases.append((5, "window: --autostart --device cuda on a CPU-only build", [gui, "--autostart", "--quit-after-iterations",
                  "2", "--device", "cuda", "--method", "random"], 1, "cuda"))
    # 6. Divergence.
    distill(6, "DM with --lr-image 10000 (the top of its range)", "fashion-mnist", 1, "diverged",
            dm + ["--lr-image", "10000"])
    distill(6, "--lr-img 1e12", "fashion-mnist", 1, "--lr-image", dm + ["--lr-img", "1e12"])
    # 7. CRC.
    medmnist(os.path.join(w, "crc.npz"))
    data = bytearray(open(os.path.join(w, "crc.npz"), "rb").read())
    data[400:464] = bytes(64)
    open(os.path.join(w, "crc.npz"), "wb").write(bytes(data))
    distill(7, "MedMNIST npz with 64 zeroed bytes inside a stored entry", "medmnist:" + os.path.join(w, "crc.npz"), 1,
            "damaged")
    # 8. Numbers.
    distill(8, "--lr-img nan", "fashion-mnist", 1, "--lr-image", dm + ["--lr-img", "nan"])
    for value, name in (("1099511627776", "ipc 2^40"), ("1.5", "ipc 1.5")):
        path = os.path.join(w, "ipc-%s.json" % name.split()[1].replace("^", ""))
        json.dump({"configVersion": 2, "method": "random", "ipc": json.loads(value)}, open(path, "w"))
        cases.append((8, "config " + name, [cli, "distill", "--config", path] + quick, 1, "ipc"))
    path = os.path.join(w, "fraction.json")
    json.dump({"configVersion": 2, "method": "random", "data": {"source": "fashion-mnist", "testFraction": 1.5}}, open(path, "w"))
    cases.append((8, "config data.testFraction 1.5", [cli, "distill", "--config", path] + quick, 1, "testFraction"))
    medmnist(os.path.join(w, "wrap.npz"))
    # A shape whose product wraps around 64 bits to the real byte count: (2^62 + 1) × 4 = 2^64 + 4 → 4 bytes.
    with open(os.path.join(w, "wrap.npy"), "wb") as f:
        header = "{'descr': '|u1', 'fortran_order': False, 'shape': (4611686018427387905, 4), }"
        header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + bytes(4))
    import zipfile
    with zipfile.ZipFile(os.path.join(w, "wrap.npz"), "a") as z:
        z.writestr("val_images.npy", open(os.path.join(w, "wrap.npy"), "rb").read())
        z.writestr("val_labels.npy", open(os.path.join(w, "wrap.npy"), "rb").read())
    distill(8, "npz entry whose shape product wraps to its byte count", "medmnist:" + os.path.join(w, "wrap.npz"), 1,
            "64 bits")
    # 9. Messages.
    distill(9, "IDX with zero images", idx_folder(os.path.join(w, "zero"), [], []), 1, "no training images")
    distill(9, "IDX test label past the training classes",
            idx_folder(os.path.join(w, "testlabel"), None, [0, 1, 2, 3, 0, 1, 2, 0, 1]), 1, "t10k-labels")
    big = os.path.join(w, "hugepng")
    for c in ("a", "b"):
        os.makedirs(os.path.join(big, c))
        for i in range(2):
            with open(os.path.join(big, c, "%d.pgm" % i), "wb") as f:
                f.write(b"P5 8 8 255\n" + bytes(range(64)))
    with open(os.path.join(big, "a", "huge.png"), "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", 100000, 100000, 8, 0, 0, 0, 0)))
    distill(9, "100000×100000 PNG header in an image folder", "folder:" + big, 1, "huge.png")
    # Finished run folders for the resume cases, one per case (each damages its own).
    def finished_run(name):
        run_out = os.path.join(w, name)
        subprocess.run([cli, "distill", "--dataset", "fashion-mnist", "--method", "dm", "--ipc", "1", "--iterations", "2",
                        "--width", "8", "--no-eval", "--device", "cpu", "--quiet", "--out", run_out], check=True,
                       capture_output=True)
        return os.path.join(run_out, os.listdir(run_out)[0])

    run = finished_run("resume-metrics")
    with open(os.path.join(run, "metrics.jsonl"), "a") as f:
        f.write('{"type":"step","iteration":"seven","loss":1}\n{"type":"eval","iteration":1e300,"mean":0.5}\n')
    cases.append((9, "--resume with metrics.jsonl fields of the wrong type", [cli, "distill", "--resume", run,
                  "--iterations", "3", "--no-eval", "--quiet"], 0, ""))
    run = finished_run("resume-state")
    state = os.path.join(run, "checkpoint-state.safetensors")
    open(state, "r+b").truncate(os.path.getsize(state) // 2)
    cases.append((9, "--resume with a truncated checkpoint-state.safetensors", [cli, "distill", "--resume", run,
                  "--iterations", "4", "--no-eval"], 0, "momentum restarts"))
    run = finished_run("resume-checkpoint")
    ckpt = os.path.join(run, "checkpoint.safetensors")
    open(ckpt, "r+b").truncate(os.path.getsize(ckpt) - 10)
    cases.append((9, "--resume with a truncated checkpoint.safetensors", [cli, "distill", "--resume", run,
                  "--iterations", "5", "--no-eval", "--quiet"], 1, "checkpoint.safetensors"))
    run = finished_run("resume-partial")
    open(os.path.join(run, "checkpoint.partial.safetensors"), "wb").write(b"half a file")
    cases.append((4, "--resume of a folder holding a killed write's temporary file", [cli, "distill", "--resume", run,
                  "--iterations", "3", "--no-eval", "--quiet"], 0, ""))
    # Older cases, kept as a regression net.
    distill(0, "missing data folder", "idx:" + os.path.join(w, "absent"), 1, "absent")
    gz = os.path.join(w, "gzcut")
    idx_folder(gz)
    raw = open(os.path.join(gz, "train-images-idx3-ubyte"), "rb").read()
    os.remove(os.path.join(gz, "train-images-idx3-ubyte"))
    open(os.path.join(gz, "train-images-idx3-ubyte.gz"), "wb").write(gzip.compress(raw)[:-20])
    distill(0, "gzip IDX cut short", "idx:" + gz, 1, "train-images-idx3-ubyte.gz")

    print("| defect | case | exit | seconds | message (first line) | |")
    print("| --- | --- | --- | --- | --- | --- |")
    failures = 0
    for defect, name, cmd, expected, fragment in cases:
        started = time.monotonic()
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, errors="replace", timeout=300,
                               env=env_gui if cmd[0] == gui else None)
            code, err = r.returncode, r.stderr
        except subprocess.TimeoutExpired:
            code, err = "timeout", ""
        seconds = time.monotonic() - started
        lines = [l for l in err.splitlines() if l.strip() and not l.startswith("Warning")]
        message = next((l for l in lines if fragment and fragment in l), lines[-1] if lines else "")
        ok = code == expected and (not fragment or fragment in err)
        failures += 0 if ok else 1
        message = message.replace("|", "\\|").replace(w, "…")[:170]
        print("| %s | %s | %s | %.1f | %s | %s |" % (defect or "–", name, code, seconds, message, "ok" if ok else "**FAIL**"))
    print("\n%d of %d cases as expected" % (len(cases) - failures, len(cases)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

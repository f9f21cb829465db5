#!/usr/bin/python3
# SPDX-FileCopyrightText: 2026 The Distillery developers
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the seed corpus of every fuzz target into OUT/<target>/: small valid inputs made here (numpy, hand-written
bytes) and the committed files of a tiny real run of `distillery-cli` (tests/fuzz/seeds/<target>/). Nothing comes
from elsewhere. The run's files are committed rather than made on each call because they hold timings and
timestamps, and a CI run of a fixed number of inputs must start from the same bytes every time.

    tests/fuzz/make-corpus.py OUT_DIR                  # what tests/fuzz/run.sh does
    tests/fuzz/make-corpus.py --refresh-run-seeds build/app/cli/distillery-cli   # after a format change
"""
import argparse
import gzip
import io
import json
import os
import shutil
import struct
import subprocess
import tempfile
import zlib

import numpy as np


def bundle(*parts):
    """The several-files layout of tests/fuzz/fuzzsupport.h: a u32 length before each part."""
    return b"".join(struct.pack("<I", len(p)) + p for p in parts)


def idx(dims, payload):
    return bytes([0, 0, 8, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims) + bytes(payload)


def idx_files(classes=3, per_class=2, size=4):
    rng = np.random.default_rng(0)
    n = classes * per_class
    labels = [i % classes for i in range(n)]
    images = rng.integers(0, 256, n * size * size).astype(np.uint8)
    test_labels = list(range(classes))
    test = rng.integers(0, 256, classes * size * size).astype(np.uint8)
    return [idx([n, size, size], images), idx([n], labels), idx([classes, size, size], test), idx([classes], test_labels)]


def png(width, height, pixels):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\0" + bytes(pixels[r * width:(r + 1) * width]) for r in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def dicom(rows, cols, implicit=False):
    def el(g, e, vr, val, explicit=True):
        if len(val) % 2:
            val += b"\0" if vr in ("UI", "OB", "OW") else b" "
        if not explicit:
            return struct.pack("<HHI", g, e, len(val)) + val
        if vr in ("OB", "OW", "SQ", "UN", "UT"):
            return struct.pack("<HH", g, e) + vr.encode() + b"\0\0" + struct.pack("<I", len(val)) + val
        return struct.pack("<HH", g, e) + vr.encode() + struct.pack("<H", len(val)) + val
    syntax = b"1.2.840.10008.1.2" if implicit else b"1.2.840.10008.1.2.1"
    sop, inst = b"1.2.840.10008.5.1.4.1.1.7", b"1.2.3.4"
    meta = el(2, 1, "OB", b"\0\1") + el(2, 2, "UI", sop) + el(2, 3, "UI", inst) + el(2, 0x10, "UI", syntax)
    meta = el(2, 0, "UL", struct.pack("<I", len(meta))) + meta
    x = not implicit
    us = lambda v: struct.pack("<H", v)
    pixels = (np.arange(rows * cols) * 37 % 4096).astype("<u2").tobytes()
    ds = (el(8, 0x16, "UI", sop, x) + el(0x28, 2, "US", us(1), x) + el(0x28, 4, "CS", b"MONOCHROME2", x)
          + el(0x28, 0x10, "US", us(rows), x) + el(0x28, 0x11, "US", us(cols), x) + el(0x28, 0x100, "US", us(16), x)
          + el(0x28, 0x101, "US", us(12), x) + el(0x28, 0x102, "US", us(11), x) + el(0x28, 0x103, "US", us(0), x)
          + el(0x7FE0, 0x10, "OW", pixels, x))
    return b"\0" * 128 + b"DICM" + meta + ds


RUN_SEEDS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "seeds")


def write(out, target, name, data):
    os.makedirs(os.path.join(out, target), exist_ok=True)
    with open(os.path.join(out, target, name), "wb") as f:
        f.write(data)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out", nargs="?")
    p.add_argument("--refresh-run-seeds", metavar="CLI",
                   help="rewrite tests/fuzz/seeds/ from a tiny real run of this distillery-cli, then stop")
    args = p.parse_args()
    if args.refresh_run_seeds:
        refresh_run_seeds(args.refresh_run_seeds)
        return
    if not args.out:
        p.error("OUT is required")
    out = args.out

    files = idx_files()
    write(out, "idx", "three-classes", bundle(*files))
    write(out, "idx_gzip", "three-classes", bundle(*(gzip.compress(f) for f in files)))

    rng = np.random.default_rng(1)
    batches = []
    for b in range(6):
        records = b""
        for r in range(2):
            label = (2 * b + r) % 10
            records += bytes([label]) + rng.integers(0, 256, 3072).astype(np.uint8).tobytes()
        batches.append(records)
    write(out, "cifar", "ten-classes", bundle(*batches, b"airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n"))

    for name, dtype in (("u1", np.uint8), ("i8", np.int64)):
        buf = io.BytesIO()
        imgs = rng.integers(0, 256, (4, 6, 6)).astype(np.uint8)
        lab = np.array([[0], [1], [0], [1]], dtype=dtype)
        np.savez(buf, train_images=imgs, train_labels=lab, val_images=imgs[:2], val_labels=lab[:2], test_images=imgs[:2],
                 test_labels=lab[:2])
        write(out, "medmnist", "pneumonia-" + name, buf.getvalue())
    buf = io.BytesIO()
    np.savez_compressed(buf, train_images=rng.integers(0, 256, (4, 5, 5, 3)).astype(np.uint8),
                        train_labels=np.array([0, 1, 2, 0]).reshape(-1, 1), test_images=np.zeros((1, 5, 5, 3), np.uint8),
                        test_labels=np.array([[1]]))
    write(out, "medmnist", "rgb-deflated", buf.getvalue())

    for name, array in (("u1", np.arange(6, dtype=np.uint8).reshape(2, 3)), ("f4", np.linspace(0, 1, 5, dtype="<f4")),
                        ("i8", np.array([3, -1], dtype="<i8")), ("U", np.array(["cat", "dog"]))):
        buf = io.BytesIO()
        np.save(buf, array)
        write(out, "npy", name, buf.getvalue())

    pixels = list(rng.integers(0, 256, 16).astype(np.uint8))
    write(out, "imagefile", "png", b"\x00" + png(4, 4, pixels))
    write(out, "imagefile", "pgm", b"\x02" + b"P5 4 4 255\n" + bytes(pixels))
    write(out, "imagefile", "dicom-explicit", b"\x03" + dicom(4, 4))
    write(out, "imagefile", "dicom-implicit", b"\x03" + dicom(4, 4, implicit=True))

    write(out, "config", "minimal", json.dumps({"configVersion": 2, "method": "dm", "params": {"lrImage": 1.0}}).encode())
    write(out, "config", "version-1", json.dumps({"method": "dc", "ipc": 1, "params": {"lrImg": 0, "outer": 10}}).encode())
    write(out, "metrics", "lines", b'{"type":"step","iteration":1,"loss":0.5,"seconds":0.1,"class_terms":[0.2,0.3]}\n'
          b'{"type":"eval","subject":"synthetic","iteration":1,"mean":0.4,"std":0.01,"accuracies":[0.4]}\n')

    for target in sorted(os.listdir(RUN_SEEDS)):
        for name in sorted(os.listdir(os.path.join(RUN_SEEDS, target))):
            write(out, target, name, open(os.path.join(RUN_SEEDS, target, name), "rb").read())


def refresh_run_seeds(cli):
    """A tiny real run: its config.json, metrics.jsonl, synthetic.npz and .safetensors, checkpoint, a timeline
    frame, grid.png; and the selection.safetensors of a second one with a data selection."""
    shutil.rmtree(RUN_SEEDS, ignore_errors=True)
    out = RUN_SEEDS
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "data")
        os.makedirs(data)
        for name, content in zip(("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                                  "t10k-labels-idx1-ubyte"), idx_files(3, 4, 8)):
            open(os.path.join(data, name), "wb").write(content)
        runs = os.path.join(tmp, "runs")
        subprocess.run([cli, "distill", "--dataset", "idx:" + data, "--method", "dm", "--ipc", "1", "--iterations",
                        "2", "--width", "4", "--depth", "1", "--real-batch", "2", "--no-eval", "--device", "cpu", "--quiet",
                        "--out", runs], check=True, capture_output=True)
        run = os.path.join(runs, os.listdir(runs)[0])
        read = lambda name: open(os.path.join(run, name), "rb").read()
        write(out, "config", "run", read("config.json"))
        write(out, "metrics", "run", read("metrics.jsonl"))
        write(out, "npz", "run", read("synthetic.npz"))
        write(out, "safetensors", "run", read("synthetic.safetensors"))
        write(out, "safetensors", "checkpoint", read("checkpoint.safetensors"))
        write(out, "timeline", "frame", read(os.path.join("timeline", "000001.safetensors")))
        write(out, "imagefile", "grid", b"\x00" + read("grid.png"))
        # A second run keeps half of each class, so its folder has a selection.safetensors (scores from a 10-epoch
        # training of the same tiny network, cached in the temporary folder).
        selected = os.path.join(tmp, "selected")
        subprocess.run([cli, "distill", "--dataset", "idx:" + data, "--method", "dm", "--ipc", "1", "--iterations",
                        "1", "--width", "4", "--depth", "1", "--real-batch", "2", "--no-eval", "--device", "cpu", "--quiet",
                        "--select", "drop-hardest:0.5", "--scores-dir", os.path.join(tmp, "scores"), "--out", selected],
                       check=True, capture_output=True)
        run = os.path.join(selected, os.listdir(selected)[0])
        write(out, "selection", "run", read("selection.safetensors"))

if __name__ == "__main__":
    main()

#!/usr/bin/env python3
# SPDX-FileCopyrightText: 2026 The Distillery developers
# SPDX-License-Identifier: GPL-3.0-or-later
"""Where a DM step's time goes on this CPU, layer by layer, and how fast the first convolution could be (issue #17).

The ConvNet of the DM presets (3×3 convolution, instance norm as one group per channel, ReLU, 2×2 average pooling,
three blocks) is rebuilt here in Python on Debian's `python3-torch`, which is the same `libtorch_cpu.so` Distillery
links, so each layer can be timed alone on the shapes a step gives it:

  - the real images' forward without gradients (DM's embeddings), one piece at a time (nn/pieces: the images whose
    first activation fits the piece budget, 32 MiB by default);
  - the synthetic images' forward and backward, with the gradient reaching the pixels.

It then times other ways of computing the first convolution (one input channel, where the library is slow) on the
same shapes: channels-last, the input padded to 8 zero channels, unfold + matrix product, and nine shifted
multiply-adds. Each is checked against the stock result before it is timed.

    tests/bench/cpu-layer-profile.py [--threads 2] [--sizes classroom,paper] [--repeats 7]

Run it on a quiet machine; it prints the best of --repeats timings per item, in milliseconds. No file is written.
"""
import argparse
import time

import torch
import torch.nn.functional as F

SIZES = {
    # name: width, real images per step, synthetic images, image side
    "classroom": (32, 160, 100, 28),
    "paper": (128, 2560, 100, 28),
}
PIECE_BUDGET = 32 << 20


def best_ms(f, repeats):
    f()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        f()
        best = min(best, time.perf_counter() - start)
    return best * 1e3


def make_net(width, side, generator):
    """Weights of a three-block ConvNet on one input channel, and its layers as (name, function) pairs."""
    layers = []
    cin = 1
    for block in range(3):
        w = torch.randn(width, cin, 3, 3, generator=generator) * (2.0 / (9 * cin)) ** 0.5
        b = torch.zeros(width)
        g = torch.ones(width)
        beta = torch.zeros(width)
        layers.append((f"conv{block + 1} ({cin}->{width})", lambda x, w=w, b=b: F.conv2d(x, w, b, padding=1)))
        layers.append((f"norm{block + 1}", lambda x, g=g, beta=beta: F.group_norm(x, x.size(1), g, beta, 1e-5)))
        layers.append((f"relu{block + 1}", F.relu))
        layers.append((f"pool{block + 1}", lambda x: F.avg_pool2d(x, 2)))
        cin = width
    return layers


def profile_layers(width, real, synthetic, side, repeats, generator):
    layers = make_net(width, side, generator)
    rows = max(1, PIECE_BUDGET // (width * side * side * 4))
    piece = min(real, rows)
    pieces = -(-real // piece)
    print(f"  real images: {real} in {pieces} piece(s) of {piece}; times are per step (piece time × pieces)")
    x = torch.randn(piece, 1, side, side, generator=generator)
    total = 0.0
    with torch.no_grad():
        for name, f in layers:
            ms = best_ms(lambda: f(x), repeats) * pieces
            total += ms
            print(f"    forward  {name:18s} {ms:9.2f} ms")
            x = f(x)
    print(f"    forward  {'sum':18s} {total:9.2f} ms")

    s = torch.randn(synthetic, 1, side, side, generator=generator, requires_grad=True)

    def forward_backward():
        y = s
        for _, f in layers:
            y = f(y)
        y.mean(0).pow(2).sum().backward()
        s.grad = None

    print(f"  synthetic images: {synthetic}, forward + backward to the pixels: "
          f"{best_ms(forward_backward, repeats):9.2f} ms")


def first_convolutions(width, batch, side, repeats, generator):
    """Alternatives to the stock first convolution, forward only, on `batch` images."""
    x = torch.randn(batch, 1, side, side, generator=generator)
    w = torch.randn(width, 1, 3, 3, generator=generator)
    b = torch.randn(width, generator=generator)
    x8 = torch.zeros(batch, 8, side, side)
    x8[:, :1] = x
    w8 = torch.zeros(width, 8, 3, 3)
    w8[:, :1] = w
    x_last = x.contiguous(memory_format=torch.channels_last)
    w_last = w.contiguous(memory_format=torch.channels_last)

    def unfold_mm():
        columns = F.unfold(x, 3, padding=1)  # batch × 9 × side²
        return (torch.matmul(w.view(width, 9), columns) + b.view(1, width, 1)).view(batch, width, side, side)

    def shifts():
        padded = F.pad(x, (1, 1, 1, 1))
        out = b.view(1, width, 1, 1).expand(batch, width, side, side).clone()
        for i in range(3):
            for j in range(3):
                out.addcmul_(padded[:, :, i:i + side, j:j + side], w[:, 0, i, j].view(1, width, 1, 1))
        return out

    variants = [
        ("stock (NCHW)", lambda: F.conv2d(x, w, b, padding=1)),
        ("channels-last", lambda: F.conv2d(x_last, w_last, b, padding=1)),
        ("padded to 8 channels", lambda: F.conv2d(x8, w8, b, padding=1)),
        ("unfold + matmul", unfold_mm),
        ("nine shifts", shifts),
    ]
    flops = batch * side * side * width * 9 * 2
    with torch.no_grad():
        reference = variants[0][1]()
        for name, f in variants:
            if not torch.allclose(f(), reference, atol=1e-4, rtol=1e-4):
                raise SystemExit(f"{name} differs from the stock convolution")
            ms = best_ms(f, repeats)
            print(f"    {name:22s} {ms:9.3f} ms  {flops / ms / 1e6:7.1f} GFLOPS")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--sizes", default="classroom,paper")
    p.add_argument("--repeats", type=int, default=7)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    for size in args.sizes.split(","):
        width, real, synthetic, side = SIZES[size]
        generator = torch.Generator().manual_seed(0)
        print(f"{size}: ConvNet-{width}x3, {side}×{side}×1")
        profile_layers(width, real, synthetic, side, args.repeats, generator)
        piece = min(real, max(1, PIECE_BUDGET // (width * side * side * 4)))
        print(f"  first convolution alone, one piece of {piece} images:")
        first_convolutions(width, piece, side, args.repeats, generator)


if __name__ == "__main__":
    main()

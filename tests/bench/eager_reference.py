# SPDX-FileCopyrightText: 2026 The Distillery developers
# SPDX-License-Identifier: GPL-3.0-or-later
"""Plain PyTorch eager DM and DSA steps, written the way the reference implementation (DC-repo main_DM.py and
main.py --method DSA) runs them: a per-class loop, a network built on the CPU every iteration, a DSA call per
class with the reference's reseeding. Distillery's speed is always quoted as a ratio to this script on the
same machine (BENCHMARKS.md).

    python3 tests/bench/eager_reference.py --method dm  --ipc 10 --iterations 20 [--data DIR] [--json]
    python3 tests/bench/eager_reference.py --method dsa --ipc 10 --iterations 3
"""
import argparse
import gzip
import json
import os
import statistics
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

MEAN, STD = 0.2861, 0.3530  # Fashion-MNIST reference constants


def read_idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load_fashion_mnist(data_dir):
    """The training split as the reference normalises it: float images N×1×28×28 on the CPU, int64 labels."""
    images = torch.tensor(read_idx(os.path.join(data_dir, "train-images-idx3-ubyte.gz")), dtype=torch.float32)
    labels = torch.tensor(read_idx(os.path.join(data_dir, "train-labels-idx1-ubyte.gz")).astype(np.int64))
    return ((images / 255.0 - MEAN) / STD).unsqueeze(1), labels


def conv_net(channels=1, classes=10, width=128, depth=3):
    layers, c = [], channels
    for d in range(depth):
        layers += [nn.Conv2d(c, width, 3, padding=3 if d == 0 else 1), nn.GroupNorm(width, width, affine=True),
                   nn.ReLU(inplace=True), nn.AvgPool2d(2, 2)]
        c = width
    features = nn.Sequential(*layers)
    net = nn.Sequential(features, nn.Flatten(), nn.Linear(width * 4 * 4, classes))
    net.embed = lambda x: features(x).flatten(1)
    return net


# --- DiffAugment, 'S' mode, as DC-repo utils.py does it: one group per call, reseeding before every draw ----

class Param:
    def __init__(self):
        self.seed = -1
        self.latestseed = -1
        self.siamese = False


def set_seed(p):
    if p.siamese:
        torch.random.manual_seed(p.latestseed)
        p.latestseed += 1


def rand_scale(x, p):
    ratio = 1.2
    set_seed(p)
    sx = torch.rand(x.shape[0]) * (ratio - 1.0 / ratio) + 1.0 / ratio
    set_seed(p)
    sy = torch.rand(x.shape[0]) * (ratio - 1.0 / ratio) + 1.0 / ratio
    theta = torch.zeros(x.shape[0], 2, 3)
    theta[:, 0, 0], theta[:, 1, 1] = sx, sy
    if p.siamese:
        theta[:] = theta[0]
    grid = F.affine_grid(theta.to(x.device), x.shape, align_corners=True)
    return F.grid_sample(x, grid, align_corners=True)


def rand_rotate(x, p):
    set_seed(p)
    t = (torch.rand(x.shape[0]) - 0.5) * 2 * 15 / 180 * float(np.pi)
    theta = torch.stack([torch.stack([t.cos(), -t.sin(), torch.zeros_like(t)], 1),
                         torch.stack([t.sin(), t.cos(), torch.zeros_like(t)], 1)], 1)
    if p.siamese:
        theta[:] = theta[0]
    grid = F.affine_grid(theta.to(x.device), x.shape, align_corners=True)
    return F.grid_sample(x, grid, align_corners=True)


def rand_flip(x, p):
    set_seed(p)
    r = torch.rand(x.size(0), 1, 1, 1, device=x.device)
    if p.siamese:
        r[:] = r[0]
    return torch.where(r < 0.5, x.flip(3), x)


def rand_brightness(x, p):
    set_seed(p)
    r = torch.rand(x.size(0), 1, 1, 1, dtype=x.dtype, device=x.device)
    if p.siamese:
        r[:] = r[0]
    return x + (r - 0.5)


def rand_saturation(x, p):
    m = x.mean(dim=1, keepdim=True)
    set_seed(p)
    r = torch.rand(x.size(0), 1, 1, 1, dtype=x.dtype, device=x.device)
    if p.siamese:
        r[:] = r[0]
    return (x - m) * (r * 2) + m


def rand_contrast(x, p):
    m = x.mean(dim=[1, 2, 3], keepdim=True)
    set_seed(p)
    r = torch.rand(x.size(0), 1, 1, 1, dtype=x.dtype, device=x.device)
    if p.siamese:
        r[:] = r[0]
    return (x - m) * (r + 0.5) + m


def rand_crop(x, p):
    sx, sy = int(x.size(2) * 0.125 + 0.5), int(x.size(3) * 0.125 + 0.5)
    set_seed(p)
    tx = torch.randint(-sx, sx + 1, size=[x.size(0), 1, 1], device=x.device)
    set_seed(p)
    ty = torch.randint(-sy, sy + 1, size=[x.size(0), 1, 1], device=x.device)
    if p.siamese:
        tx[:], ty[:] = tx[0], ty[0]
    gb, gx, gy = torch.meshgrid(torch.arange(x.size(0), device=x.device), torch.arange(x.size(2), device=x.device),
                                torch.arange(x.size(3), device=x.device), indexing="ij")
    gx = torch.clamp(gx + tx + 1, 0, x.size(2) + 1)
    gy = torch.clamp(gy + ty + 1, 0, x.size(3) + 1)
    xp = F.pad(x, [1, 1, 1, 1, 0, 0, 0, 0])
    return xp.permute(0, 2, 3, 1).contiguous()[gb, gx, gy].permute(0, 3, 1, 2)


def rand_cutout(x, p):
    cs = int(x.size(2) * 0.5 + 0.5), int(x.size(3) * 0.5 + 0.5)
    set_seed(p)
    ox = torch.randint(0, x.size(2) + (1 - cs[0] % 2), size=[x.size(0), 1, 1], device=x.device)
    set_seed(p)
    oy = torch.randint(0, x.size(3) + (1 - cs[1] % 2), size=[x.size(0), 1, 1], device=x.device)
    if p.siamese:
        ox[:], oy[:] = ox[0], oy[0]
    gb, gx, gy = torch.meshgrid(torch.arange(x.size(0), device=x.device), torch.arange(cs[0], device=x.device),
                                torch.arange(cs[1], device=x.device), indexing="ij")
    gx = torch.clamp(gx + ox - cs[0] // 2, min=0, max=x.size(2) - 1)
    gy = torch.clamp(gy + oy - cs[1] // 2, min=0, max=x.size(3) - 1)
    mask = torch.ones(x.size(0), x.size(2), x.size(3), dtype=x.dtype, device=x.device)
    mask[gb, gx, gy] = 0
    return x * mask.unsqueeze(1)


GROUPS = {"color": [rand_brightness, rand_saturation, rand_contrast], "crop": [rand_crop], "cutout": [rand_cutout],
          "flip": [rand_flip], "scale": [rand_scale], "rotate": [rand_rotate]}


def diff_augment(x, strategy, seed, p):
    p.latestseed = seed
    p.siamese = seed != -1
    names = strategy.split("_")
    set_seed(p)
    group = names[torch.randint(0, len(names), size=(1,)).item()]
    for fn in GROUPS[group]:
        x = fn(x, p)
    return x.contiguous()


def distance_wb(gs, gr):
    if gs.dim() == 1:
        return 0
    gs, gr = gs.reshape(gs.shape[0], -1), gr.reshape(gr.shape[0], -1)
    return torch.sum(1 - torch.sum(gs * gr, dim=-1) / (torch.norm(gs, dim=-1) * torch.norm(gr, dim=-1) + 1e-6))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--method", choices=["dm", "dsa"], default="dm")
    ap.add_argument("--ipc", type=int, default=10)
    ap.add_argument("--iterations", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--data", default=os.environ.get("DISTILLERY_FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist"))
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    dev = "cuda" if torch.cuda.is_available() else "cpu"
    strategy = "color_crop_cutout_flip_scale_rotate"
    images, labels = load_fashion_mnist(a.data)
    images = images.to(dev)
    indices = [torch.where(labels == c)[0].tolist() for c in range(10)]

    def get_images(c, n):
        return images[np.random.permutation(indices[c])[:n]]

    syn = torch.cat([get_images(c, a.ipc) for c in range(10)]).detach().clone().requires_grad_(True)
    syn_labels = torch.arange(10, device=dev).repeat_interleave(a.ipc)
    lr_img = 1.0 if a.method == "dm" else 0.1
    opt_img = torch.optim.SGD([syn], lr=lr_img, momentum=0.5)
    outer, inner = {1: (1, 1), 10: (10, 50), 20: (20, 25), 30: (30, 20), 40: (40, 15), 50: (50, 10)}[a.ipc]
    p = Param()

    def dm_iteration():
        net = conv_net().to(dev)  # the reference builds a fresh network on the CPU every iteration
        net.train()
        for q in net.parameters():
            q.requires_grad = False
        loss = torch.tensor(0.0, device=dev)
        for c in range(10):
            real = get_images(c, 256)
            s = syn[c * a.ipc:(c + 1) * a.ipc]
            seed = int(time.time() * 1000) % 100000
            real = diff_augment(real, strategy, seed, p)
            s = diff_augment(s, strategy, seed, p)
            loss += torch.sum((net.embed(real).detach().mean(0) - net.embed(s).mean(0)) ** 2)
        opt_img.zero_grad()
        loss.backward()
        opt_img.step()
        return loss.item()

    def dsa_iteration():
        net = conv_net().to(dev)
        net.train()
        params = list(net.parameters())
        opt_net = torch.optim.SGD(net.parameters(), lr=0.01)
        total = 0.0
        for ol in range(outer):
            loss = torch.tensor(0.0, device=dev)
            for c in range(10):
                real = get_images(c, 256)
                s = syn[c * a.ipc:(c + 1) * a.ipc]
                seed = int(time.time() * 1000) % 100000
                real = diff_augment(real, strategy, seed, p)
                s = diff_augment(s, strategy, seed, p)
                lab_r = torch.full((real.shape[0],), c, device=dev)
                lab_s = torch.full((a.ipc,), c, device=dev)
                gr = [g.detach() for g in torch.autograd.grad(F.cross_entropy(net(real), lab_r), params)]
                gs = torch.autograd.grad(F.cross_entropy(net(s), lab_s), params, create_graph=True)
                loss += sum(distance_wb(x, y) for x, y in zip(gs, gr))
            opt_img.zero_grad()
            loss.backward()
            opt_img.step()
            total += loss.item()
            if ol == outer - 1:
                break
            train = syn.detach().clone()
            for _ in range(inner):
                order = torch.randperm(train.shape[0], device=dev)
                for start in range(0, train.shape[0], 256):
                    idx = order[start:start + 256]
                    x = diff_augment(train[idx], strategy, -1, p)
                    l = F.cross_entropy(net(x), syn_labels[idx])
                    opt_net.zero_grad()
                    l.backward()
                    opt_net.step()
        return total / (10 * outer)

    step = dm_iteration if a.method == "dm" else dsa_iteration
    times = []
    for i in range(a.warmup + a.iterations):
        if dev == "cuda":
            torch.cuda.synchronize()
        t0 = time.perf_counter()
        step()
        if dev == "cuda":
            torch.cuda.synchronize()
        if i >= a.warmup:
            times.append((time.perf_counter() - t0) * 1000)
    med = statistics.median(times)
    result = {"script": "eager_reference", "method": a.method, "ipc": a.ipc, "device": dev,
              "device_name": torch.cuda.get_device_name() if dev == "cuda" else "cpu", "torch": torch.__version__,
              "iterations": a.iterations, "median_ms": med, "iterations_per_second": 1000 / med, "step_ms": times}
    print(json.dumps(result) if a.json else
          f"eager {a.method} IPC {a.ipc} on {result['device_name']}: median {med:.1f} ms per iteration "
          f"({1000 / med:.2f} it/s)")


if __name__ == "__main__":
    main()

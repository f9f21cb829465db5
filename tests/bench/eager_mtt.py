# SPDX-FileCopyrightText: 2026 The Distillery developers
# SPDX-License-Identifier: GPL-3.0-or-later
"""One MTT iteration in plain PyTorch eager, written the way the reference (MTT-repo distill.py) runs it: a student
built every iteration, its parameters as one flat vector, N steps of `θ − α·∇` with create_graph on batches cut
from a fresh permutation of the set, non-Siamese DSA per step, the parameter loss normalised by the start's distance
(both mse sums over the parameter count), and SGD with momentum 0.5 on pixels and α. The experts' start and target
are stand-ins (two fresh initialisations): a step's cost does not depend on their values. Distillery's MTT step
(`distillery-cli bench --method mtt`) is quoted as a ratio to this script on the same machine (BENCHMARKS.md).

    python3 tests/bench/eager_mtt.py --ipc 1 --width 32 --syn-steps 10 --batch-syn 20          # classroom shape
    python3 tests/bench/eager_mtt.py --ipc 10 --width 128 --syn-steps 30 --batch-syn 0 --json  # paper IPC 10
"""
import argparse
import json
import os
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from eager_reference import Param, conv_net, diff_augment, load_fashion_mnist  # noqa: E402

try:  # torch ≥ 2.0
    from torch.func import functional_call
except ImportError:  # Debian's torch 1.13
    from torch.nn.utils.stateless import functional_call


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ipc", type=int, default=1)
    ap.add_argument("--width", type=int, default=32)
    ap.add_argument("--syn-steps", type=int, default=10)
    ap.add_argument("--batch-syn", type=int, default=20, help="0 = the whole set")
    ap.add_argument("--lr-teacher", type=float, default=0.01)
    ap.add_argument("--lr-img", type=float, default=1000.0)
    ap.add_argument("--lr-lr", type=float, default=1e-5)
    ap.add_argument("--iterations", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--data", default=os.environ.get("DISTILLERY_FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist"))
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    dev = "cuda" if torch.cuda.is_available() else "cpu"
    strategy = "color_crop_cutout_flip_scale_rotate"
    images, labels = load_fashion_mnist(a.data)
    picks = [np.random.permutation(torch.where(labels == c)[0].numpy())[:a.ipc] for c in range(10)]
    image_syn = images[np.concatenate(picks)].to(dev).requires_grad_(True)
    label_syn = torch.arange(10, device=dev).repeat_interleave(a.ipc)
    syn_lr = torch.tensor(a.lr_teacher, device=dev).requires_grad_(True)
    optimizer_img = torch.optim.SGD([image_syn], lr=a.lr_img, momentum=0.5)
    optimizer_lr = torch.optim.SGD([syn_lr], lr=a.lr_lr, momentum=0.5)
    batch_syn = a.batch_syn if a.batch_syn > 0 else len(image_syn)
    p = Param()

    def flat(net):
        return torch.cat([q.detach().reshape(-1) for q in net.parameters()])

    def iteration():
        student = conv_net(width=a.width).to(dev)
        student.train()
        names = [n for n, _ in student.named_parameters()]
        shapes = [q.shape for q in student.parameters()]
        sizes = [q.numel() for q in student.parameters()]
        num_params = sum(sizes)
        starting = flat(student)
        target = flat(conv_net(width=a.width).to(dev))  # a stand-in for the expert's epoch t + M

        def forward(theta, x):
            params = {n: t.view(s) for n, t, s in zip(names, torch.split(theta, sizes), shapes)}
            return functional_call(student, params, (x,))

        student_params = [starting.clone().requires_grad_(True)]
        chunks = []
        for _ in range(a.syn_steps):
            if not chunks:
                chunks = list(torch.split(torch.randperm(len(image_syn)), batch_syn))
            these = chunks.pop()
            x = diff_augment(image_syn[these], strategy, -1, p)
            ce = F.cross_entropy(forward(student_params[-1], x), label_syn[these])
            grad = torch.autograd.grad(ce, student_params[-1], create_graph=True)[0]
            student_params.append(student_params[-1] - syn_lr * grad)
        param_loss = F.mse_loss(student_params[-1], target, reduction="sum") / num_params
        param_dist = F.mse_loss(starting, target, reduction="sum") / num_params
        loss = param_loss / param_dist
        optimizer_img.zero_grad()
        optimizer_lr.zero_grad()
        loss.backward()
        optimizer_img.step()
        optimizer_lr.step()
        return loss.item()  # waits for the device, as the reference's logging does

    for _ in range(a.warmup):
        iteration()
    times = []
    for _ in range(a.iterations):
        started = time.perf_counter()
        iteration()
        times.append(time.perf_counter() - started)
    result = {"script": "eager_mtt", "device": dev, "ipc": a.ipc, "width": a.width, "syn_steps": a.syn_steps,
              "batch_syn": batch_syn, "median_ms": 1000 * statistics.median(times),
              "mean_ms": 1000 * statistics.mean(times), "threads": torch.get_num_threads()}
    print(json.dumps(result) if a.json else
          f"eager MTT, IPC {a.ipc}, ConvNet-{a.width}, {a.syn_steps} steps of {batch_syn} on {dev}: "
          f"median {result['median_ms']:.1f} ms per iteration (mean {result['mean_ms']:.1f}, {a.iterations} timed)")


if __name__ == "__main__":
    main()

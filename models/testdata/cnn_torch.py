#!/usr/bin/env python3
"""The triage CNN of screenlab (models/cnn.go) in PyTorch on the CPU, for
`make bench`: the same architecture (three 3x3 conv + ReLU + 2x2 max-pool
blocks with 8, 16, 32 channels, global max pooling, a linear layer to a view
logit, log-sum-exp over an exam's four views), Adam, 64x64 input, 8 exams
(32 images) per training step and 16 exams (64 images) per inference batch,
on as many threads as Go uses (GOMAXPROCS or the number of CPUs).

Prints one line per measurement: "torch train images/s N" and
"torch infer images/s N". With --ops it times each op of a training step
on its own instead (as models' BenchmarkCNNOps does), one line each:
"torch op layerN/NAME MS".
"""
import os
import sys
import time

import torch
import torch.nn as nn

threads = int(os.environ.get("GOMAXPROCS", os.cpu_count()))
torch.set_num_threads(threads)
torch.manual_seed(1)
SIZE = 64


class Triage(nn.Module):
    def __init__(self):
        super().__init__()
        layers, cin = [], 1
        for cout in (8, 16, 32):
            layers += [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.ReLU(), nn.MaxPool2d(2)]
            cin = cout
        self.features = nn.Sequential(*layers)
        self.head = nn.Linear(32, 1)

    def forward(self, x):  # x: (exams*4, 1, SIZE, SIZE)
        h = self.features(x).amax(dim=(2, 3))
        view = self.head(h).view(-1, 4)
        return torch.logsumexp(view, dim=1)


def ops():
    import torch.nn.functional as F
    g = torch.Generator().manual_seed(9)
    n, reps = 32, 50
    for layer, (c, o, hw) in enumerate([(1, 8, 64), (8, 16, 32), (16, 32, 16)], 1):
        x = torch.randn(n, c, hw, hw, generator=g)
        w = torch.randn(o, c, 3, 3, generator=g)
        dy = torch.randn(n, o, hw, hw, generator=g)
        r = F.relu(dy)
        pooled, idx = torch.ops.aten.max_pool2d_with_indices(r, [2, 2], [2, 2])
        gp = torch.randn_like(pooled)
        cases = [
            ("conv", lambda: F.conv2d(x, w, padding=1)),
            ("conv_dx", lambda: torch.nn.grad.conv2d_input(x.shape, w, dy, padding=1)),
            ("conv_dw", lambda: torch.nn.grad.conv2d_weight(x, w.shape, dy, padding=1)),
            ("relupool", lambda: torch.ops.aten.max_pool2d_with_indices(F.relu(dy), [2, 2], [2, 2])),
            ("relupool_dx", lambda: torch.ops.aten.threshold_backward(
                torch.ops.aten.max_pool2d_with_indices_backward(gp, r, [2, 2], [2, 2], [0, 0], [1, 1], False, idx), dy, 0)),
        ]
        for name, f in cases:
            if layer == 1 and name == "conv_dx":
                continue
            with torch.no_grad():
                for _ in range(5):
                    f()
                t0 = time.perf_counter()
                for _ in range(reps):
                    f()
                dt = time.perf_counter() - t0
            print(f"torch op layer{layer}/{name} {dt / reps * 1000:.3f}")


if "--ops" in sys.argv:
    ops()
    sys.exit(0)

net = Triage()
opt = torch.optim.Adam(net.parameters(), lr=2e-3)
loss_fn = nn.BCEWithLogitsLoss()
x = torch.randn(8 * 4, 1, SIZE, SIZE)
y = torch.tensor([1.0, 0.0] * 4)
steps = 200
for _ in range(10):  # warm-up
    opt.zero_grad(); loss_fn(net(x), y).backward(); opt.step()
t0 = time.perf_counter()
for _ in range(steps):
    opt.zero_grad()
    loss = loss_fn(net(x), y)
    loss.backward()
    opt.step()
dt = time.perf_counter() - t0
print(f"torch train images/s {steps * 32 / dt:.1f}")

xi = torch.randn(16 * 4, 1, SIZE, SIZE)
rounds = 100
with torch.no_grad():
    for _ in range(5):
        net(xi)
    t0 = time.perf_counter()
    for _ in range(rounds):
        net(xi)
    dt = time.perf_counter() - t0
print(f"torch infer images/s {rounds * 64 / dt:.1f}")

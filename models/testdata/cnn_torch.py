#!/usr/bin/env python3
"""The triage CNN of screenlab (models/cnn.go) in PyTorch on the CPU, for
`make bench`: the same architecture (three 3x3 conv + ReLU + 2x2 max-pool
blocks with 8, 16, 32 channels, global max pooling, a linear layer to a view
logit, log-sum-exp over an exam's four views), Adam, 64x64 input, 8 exams
(32 images) per training step and 16 exams (64 images) per inference batch,
on as many threads as Go uses (GOMAXPROCS or the number of CPUs).

Prints one line per measurement: "torch train images/s N" and
"torch infer images/s N".
"""
import os
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

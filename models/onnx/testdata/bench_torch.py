#!/usr/bin/env python3
"""make bench, ONNX part: PyTorch's CPU inference throughput for the models
export.py exports (screenlab's CNN, ResNet-18 of width 8 and of width 64),
in batches of 64 images of 1x64x64 on as many threads as Go uses (GOMAXPROCS
or the number of CPUs). Prints "torch NAME images/s N", one line each."""
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export  # noqa: E402

torch.set_num_threads(int(os.environ.get("GOMAXPROCS", os.cpu_count())))
nets = [("screenlab_cnn", export.ScreenlabCNN().eval()), ("resnet18_w8", export.seeded_resnet(8, 18)),
        ("resnet18", export.seeded_resnet(64, 18))]
x = torch.randn(64, 1, export.SIZE, export.SIZE, generator=torch.Generator().manual_seed(1))
with torch.no_grad():
    for name, net in nets:
        for _ in range(3):
            net(x)
        reps, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < 3 or reps < 5:
            net(x)
            reps += 1
        print(f"torch {name} images/s {64 * reps / (time.perf_counter() - t0):.1f}")

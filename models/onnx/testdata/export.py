#!/usr/bin/env python3
"""Exports the ONNX fixtures of screenlab's models/onnx tests (and, with
--full, the standard-width ResNet-18 of `make bench` and the README) from
Debian's PyTorch (apt-get install python3-torch python3-onnx), and writes
PyTorch's own outputs for the test inputs.

  screenlab_cnn.onnx   screenlab's triage CNN (models/cnn.go: three 3x3 conv
                       + ReLU + 2x2 max-pool blocks of 8, 16, 32 channels,
                       global max pooling, a linear layer to a view logit)
                       with the weights of screenlab_cnn.model
  resnet18_w8.onnx     ResNet-18 (He et al. 2016: BasicBlocks 2-2-2-2, batch
                       normalisation, strided downsampling) with one input
                       channel and a base width of 8 instead of 64, so the
                       fixture is small; seeded weights and batch statistics
  *.onnx.json          their sidecars (input, preprocessing, exam score)
  expected.json        PyTorch's view logits for inputs.f32 (the fixture
                       exam's four views preprocessed by screenlab at 64x64;
                       written by `go run ./models/onnx/testdata/prep`)

Usage, from the repository root:
  go run ./models/onnx/testdata/prep           # screenlab_cnn.model, inputs.f32
  /usr/bin/python3 models/onnx/testdata/export.py
  /usr/bin/python3 models/onnx/testdata/export.py --full OUTDIR  # resnet18.onnx (width 64, 45 MB)

Every model is exported with opset 13, in evaluation mode, with a dynamic
batch dimension: input "image" (N, 1, 64, 64), output "logit" (N, 1).
"""
import hashlib
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
SIZE = 64
torch.set_num_threads(int(os.environ.get("GOMAXPROCS", os.cpu_count())))


class ScreenlabCNN(nn.Module):
    def __init__(self, channels=(8, 16, 32)):
        super().__init__()
        layers, cin = [], 1
        for cout in channels:
            layers += [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.ReLU(), nn.MaxPool2d(2)]
            cin = cout
        self.features = nn.Sequential(*layers)
        self.pool = nn.AdaptiveMaxPool2d(1)  # global max pooling: GlobalMaxPool
        self.head = nn.Linear(cin, 1)

    def forward(self, x):
        return self.head(torch.flatten(self.pool(self.features(x)), 1))


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.down = None
        if stride != 1 or cin != cout:
            self.down = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = torch.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return torch.relu(y + (x if self.down is None else self.down(x)))


class ResNet18(nn.Module):
    """torchvision's resnet18 layout with one input channel and one logit."""

    def __init__(self, width=64):
        super().__init__()
        w = width
        self.stem = nn.Sequential(nn.Conv2d(1, w, 7, 2, 3, bias=False), nn.BatchNorm2d(w), nn.ReLU(), nn.MaxPool2d(3, 2, 1))
        blocks, cin = [], w
        for i, cout in enumerate((w, 2 * w, 4 * w, 8 * w)):
            stride = 1 if i == 0 else 2
            blocks += [BasicBlock(cin, cout, stride), BasicBlock(cout, cout, 1)]
            cin = cout
        self.blocks = nn.Sequential(*blocks)
        self.pool = nn.AdaptiveAvgPool2d(1)  # GlobalAveragePool
        self.fc = nn.Linear(cin, 1)

    def forward(self, x):
        return self.fc(torch.flatten(self.pool(self.blocks(self.stem(x))), 1))


def seeded_resnet(width, seed):
    torch.manual_seed(seed)
    net = ResNet18(width)
    with torch.no_grad():
        for m in net.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, nn.BatchNorm2d):
                # Batch statistics as a trained network would have them, so
                # that normalisation is not the identity.
                m.running_mean.copy_(torch.randn(m.num_features) * 0.2)
                m.running_var.copy_(torch.rand(m.num_features) * 1.5 + 0.5)
                m.weight.copy_(torch.rand(m.num_features) * 0.5 + 0.75)
                m.bias.copy_(torch.randn(m.num_features) * 0.1)
    return net.eval()


def screenlab_cnn(model_path):
    """The CNN with the weights of a screenlab model file (JSON between its
    magic line and its sha256 line): conv kernels (out, in, 3, 3), the dense
    layer (in, 1), its bias (1, 1)."""
    lines = open(model_path).read().split("\n")
    body = "\n".join(l for l in lines[1:] if not l.startswith("sha256 "))
    cnn = json.loads(body)["cnn"]
    net = ScreenlabCNN(tuple(cnn["channels"]))
    convs = [m for m in net.features if isinstance(m, nn.Conv2d)]
    w = cnn["weights"]
    with torch.no_grad():
        for k, conv in enumerate(convs):
            conv.weight.copy_(torch.tensor(w[k], dtype=torch.float32).view(conv.weight.shape))
        net.head.weight.copy_(torch.tensor(w[len(convs)], dtype=torch.float32).view(1, -1))
        net.head.bias.copy_(torch.tensor(w[len(convs) + 1], dtype=torch.float32).view(1))
    return net.eval()


def export(net, path, name, description, exam_score):
    x = torch.zeros(2, 1, SIZE, SIZE)
    torch.onnx.export(net, x, path, opset_version=13, input_names=["image"], output_names=["logit"],
                      dynamic_axes={"image": {0: "n"}, "logit": {0: "n"}},
                      training=torch.onnx.TrainingMode.EVAL, do_constant_folding=True)
    digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
    sidecar = {
        "format": "screenlab-onnx-sidecar 1",
        "name": name,
        "description": description,
        "model_sha256": digest,
        "input": {"name": "image", "channels": 1, "height": SIZE, "width": SIZE},
        "output": {"name": "logit", "kind": "logit"},
        "preprocessing": {"width": SIZE, "height": SIZE, "threshold": 0.08, "resize": "lanczos-float32"},
        "exam_score": exam_score,
    }
    with open(path + ".json", "w") as f:
        json.dump(sidecar, f, indent=2)
        f.write("\n")
    return digest


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--full":
        out = sys.argv[2]
        os.makedirs(out, exist_ok=True)
        p = os.path.join(out, "resnet18.onnx")
        export(seeded_resnet(64, 18), p, "resnet18-1ch",
               "ResNet-18 (width 64) with one input channel, seeded weights: a stand-in for a model trained elsewhere",
               "logsumexp")
        print(p)
        return
    inputs = np.fromfile(os.path.join(HERE, "inputs.f32"), dtype="<f4").reshape(-1, 1, SIZE, SIZE)
    x = torch.from_numpy(inputs.copy())
    expected = {"torch": torch.__version__, "inputs": int(x.shape[0])}
    cnn = screenlab_cnn(os.path.join(HERE, "screenlab_cnn.model"))
    export(cnn, os.path.join(HERE, "screenlab_cnn.onnx"), "screenlab-cnn",
           "screenlab's triage CNN with the weights of screenlab_cnn.model", "logsumexp")
    res = seeded_resnet(8, 18)
    export(res, os.path.join(HERE, "resnet18_w8.onnx"), "resnet18-w8-1ch",
           "ResNet-18 layout, base width 8, one input channel, seeded weights (a test fixture)", "max")
    with torch.no_grad():
        expected["screenlab_cnn"] = cnn(x).view(-1).double().tolist()
        expected["resnet18_w8"] = res(x).view(-1).double().tolist()
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")
    print("exported; expected.json:", {k: v for k, v in expected.items() if not isinstance(v, list)})


if __name__ == "__main__":
    main()

"""PyTorch reference for tools/bench/src/train.ts: the same two-image, shared-backbone,
8-head model and training step (forward, summed cross-entropies, backward, Adam), timed.

Run by train.ts with Debian's /usr/bin/python3 (python3-torch, python3-torchvision).
Prints one JSON line: {"msPerStep": [...], "threads": n, "torch": version}.
"""
import json
import sys
import time

import torch
import torch.nn as nn
import torchvision

HEAD_SIZES = [2, 2, 4, 2, 2, 2, 2, 2]


def backbone(name: str, width: float) -> nn.Module:
    if name == "resnet18":
        model = torchvision.models.resnet18()
        model.fc = nn.Identity()
        return model
    if name == "mobilenet-v3-small":
        model = torchvision.models.mobilenet_v3_small(width_mult=width)
        return nn.Sequential(model.features, nn.AdaptiveAvgPool2d(1), nn.Flatten())
    if name == "densenet121":
        model = torchvision.models.densenet121()
        return nn.Sequential(model.features, nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
    raise SystemExit(f"unknown backbone {name}")


class MultiTask(nn.Module):
    def __init__(self, name: str, width: float, size: int):
        super().__init__()
        self.backbone = backbone(name, width)
        with torch.no_grad():
            features = self.backbone(torch.zeros(1, 3, size, size)).shape[1]
        self.heads = nn.ModuleList(nn.Linear(2 * features, classes) for classes in HEAD_SIZES)

    def forward(self, bmus, ceus):
        joined = torch.cat([self.backbone(bmus), self.backbone(ceus)], dim=1)
        return [head(joined) for head in self.heads]


def main() -> None:
    name, size, batch, threads, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    width = float(sys.argv[6]) if len(sys.argv) > 6 else 1.0
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = MultiTask(name, width, size).train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    images = [torch.rand(batch, 3, size, size) for _ in range(2)]
    labels = [torch.randint(0, classes, (batch,)) for classes in HEAD_SIZES]
    loss_fn = nn.CrossEntropyLoss()

    def step() -> None:
        optimizer.zero_grad()
        outputs = model(*images)
        loss = sum(loss_fn(out, y) for out, y in zip(outputs, labels))
        loss.backward()
        optimizer.step()

    for _ in range(2):
        step()
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    print(json.dumps({"msPerStep": times, "threads": torch.get_num_threads(), "torch": torch.__version__}))


if __name__ == "__main__":
    main()

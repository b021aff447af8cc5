"""PyTorch CPU reference for the extraction figure in bench/onnx.ts: the same MobileNetV2 cut (through
block 15, the deepest feature layer of the default backbone), 224x224, batches of 16, both cores, JPEG
decode and resize included, over the apparel fixture's images. Weights are random: speed does not
depend on them, and nothing is downloaded.

Needs python3 with torch, torchvision and Pillow (Debian: apt-get install python3-torch python3-torchvision).
Run from the repository root: python3 bench/reference/pytorch-mobilenetv2.py [fixtures-dir]
"""
import csv
import json
import os
import sys
import time

import torch
import torchvision
from PIL import Image

BATCH = 16


def fixture_images(fixtures):
    root = os.path.join(fixtures, "apparel-mini")
    paths = []
    for name in ("train.csv", "val.csv"):
        with open(os.path.join(root, name), newline="") as f:
            rows = csv.reader(f)
            next(rows)
            paths += [os.path.normpath(os.path.join(root, row[1])) for row in rows if len(row) > 1]
    return paths


def load(path):
    img = Image.open(path).convert("RGB").resize((224, 224), Image.BILINEAR)
    return torchvision.transforms.functional.pil_to_tensor(img).float().div_(255)


def main():
    fixtures = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "fixtures")
    paths = fixture_images(fixtures)
    torch.set_num_threads(os.cpu_count() or 1)
    net = torchvision.models.mobilenet_v2(weights=None).features[:17].eval()
    pool = torch.nn.AdaptiveAvgPool2d(1)
    with torch.inference_mode():
        net(torch.rand(BATCH, 3, 224, 224))  # warm-up
        start = time.perf_counter()
        infer = 0.0
        for i in range(0, len(paths), BATCH):
            x = torch.stack([load(p) for p in paths[i : i + BATCH]])
            t = time.perf_counter()
            pool(net(x)).flatten(1)
            infer += time.perf_counter() - t
        total = time.perf_counter() - start
    print(json.dumps({
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "images": len(paths),
        "imagesPerSecond": round(len(paths) / total, 1),
        "inferenceOnlyImagesPerSecond": round(len(paths) / infer, 1),
        "loadAverage1m": round(os.getloadavg()[0], 2),
    }))


if __name__ == "__main__":
    main()

"""A small MNIST classifier that judges conditional generators: trained once, cached, its held-out accuracy known.

Generated digits of class c should be read as c by a classifier trained on real digits; this is that classifier.
Online it trains on the 60,000 training digits and is evaluated on the 10,000 test digits; offline, where the
test set stands in for the training set, it trains on the first half of the test set and is evaluated on the
other half, and its description says so.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn
from torch.nn import functional as F

from .data import DeviceLoader, load_mnist
from .data.held_out import held_out
from .data.root import user_cache
from .device import get_device
from .progress import progress

VERSION = 1  # bump when the network or its training changes: cached weights of another version are not used


class DigitClassifier(nn.Module):
    """N×1×28×28 images in [-1, 1] → N×10 class logits (two convolutions, two Linear layers)."""

    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),   # 14×14
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # 7×7
            nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10))

    def forward(self, x):
        return self.net(x)


@dataclass
class TrainedClassifier:
    model: DigitClassifier
    accuracy: float  # on real digits it was not trained on
    note: str  # what it was trained and evaluated on

    def predict(self, images: torch.Tensor, batch_size: int = 500) -> torch.Tensor:
        """The predicted class of each image (N×1×28×28 in [-1, 1]), on the CPU."""
        return _predict(self.model, images, batch_size)

    def __str__(self) -> str:
        return f"MNIST classifier: {self.accuracy:.1%} accurate on held-out real digits ({self.note})"


def _predict(model: nn.Module, images: torch.Tensor, batch_size: int = 500) -> torch.Tensor:
    if images.ndim != 4 or tuple(images.shape[1:]) != (1, 28, 28):
        raise ValueError(f"the MNIST classifier reads N×1×28×28 images in [-1, 1], found shape {tuple(images.shape)}")
    device = next(model.parameters()).device
    model.eval()
    with torch.no_grad():
        return torch.cat([model(b.to(device)).argmax(1).cpu() for b in images.split(batch_size)])


def mnist_classifier(device=None, root=None, cache_dir: str | os.PathLike | None = None, epochs: int = 5,
                     verbose: bool = True) -> TrainedClassifier:
    """The course's MNIST classifier: loaded from ``cache_dir`` (default: the user cache) or trained and saved there.

    The cache file is named after the data it was trained on, so an offline classifier (half the test set) is
    never mistaken for one trained on the training set.
    """
    device = torch.device(device) if device is not None else get_device()
    full_train = load_mnist(train=True, root=root, verbose=False)
    train, test, note = held_out(full_train, load_mnist(train=False, root=root, verbose=False))
    kind = "train" if train is full_train else "half_test"
    folder = Path(cache_dir) if cache_dir is not None else user_cache().parent / "models"
    path = folder / f"mnist_classifier_v{VERSION}_{kind}_{epochs}ep.pt"
    model = DigitClassifier()
    if path.is_file():
        saved = torch.load(path, map_location="cpu", weights_only=True)
        model.load_state_dict(saved["model"])
        result = TrainedClassifier(model.to(device), float(saved["accuracy"]), str(saved["note"]))
        if verbose:
            print(f"{result} — loaded from {path}")
        return result
    torch.manual_seed(0)
    model = model.to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loader = DeviceLoader(train, 128, device, seed=0)
    for epoch in range(1, epochs + 1):
        model.train()
        for images, labels in progress(loader, desc=f"MNIST classifier epoch {epoch}/{epochs}", leave=False):
            optimizer.zero_grad()
            F.cross_entropy(model(images), labels).backward()
            optimizer.step()
    result = TrainedClassifier(model, (_predict(model, test.images) == test.labels).float().mean().item(), note)
    folder.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    torch.save({"model": model.state_dict(), "accuracy": result.accuracy, "note": note}, partial)
    os.replace(partial, path)  # atomic: an interrupted save never leaves a broken cache file
    if verbose:
        print(f"{result} — saved to {path}")
    return result

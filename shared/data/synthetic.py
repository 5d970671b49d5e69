"""Synthetic images for unit tests only. Every message they cause says SYNTHETIC."""
from __future__ import annotations

import torch

from .tensors import ImageTensorDataset


def synthetic_images(n: int = 256, channels: int = 1, size: int = 28, seed: int = 0) -> ImageTensorDataset:
    """Smooth random blobs in [-1, 1]; never a stand-in for a real dataset."""
    g = torch.Generator().manual_seed(seed)
    coarse = torch.rand(n, channels, 7, 7, generator=g)
    images = torch.nn.functional.interpolate(coarse, size=(size, size), mode="bilinear", align_corners=False)
    images = images * 2 - 1
    labels = torch.randint(0, 10, (n,), generator=g)
    return ImageTensorDataset(images, labels, [str(i) for i in range(10)], "SYNTHETIC images (unit tests only)")

"""A dataset held as one tensor in memory: fast to index and to move to a GPU."""
from __future__ import annotations

import torch
from torch.utils.data import Dataset


class ImageTensorDataset(Dataset):
    """Images in [-1, 1] (N×C×H×W float32) with integer labels and a human-readable source."""

    def __init__(self, images: torch.Tensor, labels: torch.Tensor, classes: list[str], source: str):
        if images.ndim != 4:
            raise ValueError(f"images must be N×C×H×W, got shape {tuple(images.shape)}")
        if len(images) != len(labels):
            raise ValueError(f"{len(images)} images but {len(labels)} labels")
        self.images = images
        self.labels = labels
        self.classes = list(classes)
        self.source = source

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, index):
        return self.images[index], int(self.labels[index])

    def __repr__(self) -> str:
        shape = "×".join(str(s) for s in self.images.shape[1:])
        return f"{self.source}: {len(self)} images of {shape}"


def from_uint8(pixels: torch.Tensor, labels: torch.Tensor, classes, source: str) -> ImageTensorDataset:
    """uint8 N×H×W or N×C×H×W pixels in [0, 255] → dataset normalised to [-1, 1]."""
    if pixels.ndim == 3:
        pixels = pixels.unsqueeze(1)
    images = pixels.float().div_(127.5).sub_(1.0)
    return ImageTensorDataset(images, labels.long(), classes, source)


def take(dataset: ImageTensorDataset, n: int | None) -> ImageTensorDataset:
    """The first ``n`` examples (all when ``n`` is None or larger than the dataset)."""
    if n is None or n >= len(dataset):
        return dataset
    return ImageTensorDataset(
        dataset.images[:n], dataset.labels[:n], dataset.classes, f"{dataset.source} (first {n})"
    )


def pad_to(dataset: ImageTensorDataset, size: int) -> ImageTensorDataset:
    """The same images padded with background (−1) to ``size``×``size``, centred: 28×28 MNIST → 32×32.

    Padding keeps every pixel as it was (no interpolation), as LeNet's 32×32 MNIST did.
    """
    h, w = dataset.images.shape[-2:]
    if h > size or w > size:
        raise ValueError(f"cannot pad {h}×{w} images to {size}×{size}: they are larger already")
    top, left = (size - h) // 2, (size - w) // 2
    images = torch.nn.functional.pad(dataset.images, (left, size - w - left, top, size - h - top), value=-1.0)
    return ImageTensorDataset(images, dataset.labels, dataset.classes, f"{dataset.source}, padded to {size}×{size}")

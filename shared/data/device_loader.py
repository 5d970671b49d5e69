"""Batches of an in-memory dataset kept on the training device: no copy per batch, no workers."""
from __future__ import annotations

import torch

from ..device import get_device
from .tensors import ImageTensorDataset


class DeviceLoader:
    """Shuffled ``(images, labels)`` batches of an :class:`ImageTensorDataset`, already on ``device``.

    The whole dataset is moved to the device once (CIFAR-10's 50,000 training images take 600 MB
    as float32), so a GPU never waits for the host; on a CPU it is simply a fast DataLoader.
    Each epoch reshuffles with its own seeded generator, so runs repeat exactly.
    """

    def __init__(self, dataset: ImageTensorDataset, batch_size: int, device=None, *, shuffle: bool = True,
                 drop_last: bool = True, seed: int = 0):
        if not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
        if drop_last and batch_size > len(dataset):
            raise ValueError(f"batch_size {batch_size} is larger than the dataset ({len(dataset)} images) "
                             "and drop_last=True would give no batch at all")
        self.device = torch.device(device) if device is not None else get_device()
        self.images = dataset.images.to(self.device)
        self.labels = dataset.labels.to(self.device)
        self.batch_size, self.shuffle, self.drop_last = batch_size, shuffle, drop_last
        self.seed = seed
        self.epoch = 0

    def __len__(self) -> int:
        n = len(self.images)
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)

    def __iter__(self):
        n = len(self.images)
        if self.shuffle:
            order = torch.randperm(n, generator=torch.Generator().manual_seed(self.seed + self.epoch))
            order = order.to(self.device)
        else:
            order = torch.arange(n, device=self.device)
        self.epoch += 1
        for i in range(len(self)):
            index = order[i * self.batch_size:(i + 1) * self.batch_size]
            yield self.images[index], self.labels[index]

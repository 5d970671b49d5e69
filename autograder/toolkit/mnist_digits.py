"""Real MNIST test digits for the checks of the conditional homeworks (HW3's ACGAN, HW5's cGAN and InfoGAN).

320 digits, 32 of each class, the ten classes taking turns, in [-1, 1]: enough for every check, read once per
process. Both sides build them (the homeworks' ``fixtures.py``), so the student's process may read this file;
it holds no answer.
"""
from __future__ import annotations

import functools

import torch

MNIST_PER_CLASS = 32
N_CLASSES = 10


@functools.lru_cache(maxsize=1)
def balanced_digits() -> tuple[torch.Tensor, torch.Tensor]:
    """(images, labels): the first 32 test digits of each class, the classes taking turns."""
    from shared.data import load_mnist

    # Offline (GAN_COURSE_DATA set) this reads the local copy; otherwise the user cache, as the notebook does.
    data = load_mnist(train=False, verbose=False)
    picked = torch.cat([torch.nonzero(data.labels == c).flatten()[:MNIST_PER_CLASS] for c in range(N_CLASSES)])
    images, labels = data.images[picked], data.labels[picked]
    order = torch.arange(len(picked)).view(N_CLASSES, MNIST_PER_CLASS).t().flatten()
    return images[order], labels[order]


def mnist_batch(n: int = 64, device="cpu", offset: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """``n`` of those digits and their labels (from ``offset`` on), the ten classes taking turns."""
    images, labels = balanced_digits()
    if offset + n > len(images):
        raise ValueError(f"mnist_batch holds {len(images)} images, {offset + n} were asked for")
    return images[offset:offset + n].clone().to(device), labels[offset:offset + n].clone().to(device)

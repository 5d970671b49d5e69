"""Inputs of the HW1 checks, built from the judge's seed the same way on both sides (no answers here).

The probes (student's side) and the checks (judge) both call these, so the judge knows exactly what the
student's code was given without receiving it.
"""
from __future__ import annotations

import functools

import torch
from torch import nn

Z_DIM = 16


def tiny_discriminator(seed: int = 0, device="cpu") -> nn.Module:
    torch.manual_seed(seed)  # initialised on the CPU, so every device starts from the same weights
    net = nn.Sequential(nn.Flatten(), nn.Linear(784, 32), nn.LeakyReLU(0.2), nn.Linear(32, 1), nn.Sigmoid())
    return net.to(device)


def tiny_generator(seed: int = 1, batchnorm: bool = False, device="cpu") -> nn.Module:
    torch.manual_seed(seed)
    layers = [nn.Linear(Z_DIM, 64)]
    if batchnorm:
        layers.append(nn.BatchNorm1d(64))
    layers += [nn.ReLU(), nn.Linear(64, 784), nn.Tanh(), nn.Unflatten(1, (1, 28, 28))]
    return nn.Sequential(*layers).to(device)


@functools.lru_cache(maxsize=1)
def _sklearn_digits() -> torch.Tensor:
    """scikit-learn's 1,797 real 8×8 digits (values 0–16), read from the file scikit-learn ships, as
    ``load_digits().images`` gives them, without importing scikit-learn (seconds per process)."""
    import gzip
    import importlib.util
    import os

    import numpy as np

    folder = importlib.util.find_spec("sklearn").submodule_search_locations[0]
    with gzip.open(os.path.join(folder, "datasets", "data", "digits.csv.gz")) as f:
        table = np.loadtxt(f, delimiter=",")
    return torch.tensor(table[:, :-1].reshape(-1, 8, 8), dtype=torch.float32)


def real_batch(n: int = 32, device="cpu", offset: int = 0) -> torch.Tensor:
    """Real digits from scikit-learn (8×8, upsampled to 28×28, in [-1, 1]): no download needed."""
    digits = _sklearn_digits()[offset:offset + n] / 16.0
    images = nn.functional.interpolate(digits.unsqueeze(1), size=(28, 28), mode="bilinear", align_corners=False)
    return (images * 2 - 1).to(device)


def noise(n: int = 32, seed: int = 3, device="cpu") -> torch.Tensor:
    return torch.randn(n, Z_DIM, generator=torch.Generator().manual_seed(seed)).to(device)


def randn(*shape: int, seed: int, device="cpu") -> torch.Tensor:
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed)).to(device)


def step_seeds(seed: int) -> dict[str, int]:
    """The one-step checks' networks and batch, drawn afresh for every grading."""
    return {"D": seed % 9973, "G": seed % 7919 + 1, "noise": seed % 6007 + 2, "offset": seed % 1700}


def grid_generator(seed: int, device="cpu") -> nn.Module:
    """A generator with BatchNorm whose running statistics have moved away from their start (train mode)."""
    G = tiny_generator(seed=seed % 5000, batchnorm=True, device=device)
    with torch.no_grad():
        G(noise(64, seed=seed % 4000 + 9, device=device) * 3)
    return G

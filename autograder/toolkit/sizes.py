"""Sizes a probe builds with: never the ones the notebooks use (class 7 of the check toolkit).

An answer that writes a size in as a constant (``nn.Embedding(10, …)``, ``torch.randn(n, 100)``) or leaves an
argument out (``F.one_hot(cat)`` without its width) is right exactly when the probe's size happens to equal the
notebook's. Probes take the sizes they vary from here, so the coincidence cannot happen; the toolkit's tests keep
these apart from the course's sizes, which they read from the defaults of the solutions' answers.
"""
from __future__ import annotations

import torch

# What the notebooks use (argument defaults and the constants their cells set).
COURSE = {
    "n_classes": {10}, "n_cat": {10}, "n_cont": {2}, "n_noise": {62}, "nz": {100}, "z_dim": {100},
    "latent_dim": {20}, "ngf": {64}, "ndf": {64}, "width": {64}, "hidden": {256, 400}, "embed_dim": {50},
}

# What probes ask for instead: each tuple's sizes differ from each other and from every course size of that name.
PROBE = {
    "n_classes": (5, 6, 7), "n_cat": (4, 5), "n_cont": (3,), "n_noise": (5, 6), "ngf": (8,), "ndf": (8,),
    "width": (8,), "hidden": (16,),
}
Z_DIMS = range(20, 29)  # noise sizes for probes that vary z_dim with the seed: never 100, never each other's neighbour


def probe_size(name: str, k: int = 0) -> int:
    """The ``k``-th size a probe uses for the argument ``name`` (``n_classes``, ``n_cat``, …)."""
    return PROBE[name][k]


def z_dim_for(seed: int) -> int:
    """A noise size that changes with the seed and is never a size the notebooks use."""
    return Z_DIMS[seed % len(Z_DIMS)]


def labels_short_of_top(n_classes: int, count: int, generator: torch.Generator | None = None) -> torch.Tensor:
    """``count`` labels in ``0 … n_classes − 2``: the largest class never appears, so a one-hot vector (or an
    embedding) sized by the largest label instead of ``n_classes`` is one column short whatever the draw."""
    if n_classes < 2:
        raise ValueError(f"labels short of the top class need at least 2 classes, not {n_classes}")
    return torch.randint(0, n_classes - 1, (count,), generator=generator)


def coincides(name: str, size: int) -> bool:
    """Whether a probe of ``name`` at ``size`` would be answered correctly by the notebooks' own constant."""
    return size in COURSE.get(name, set())

"""Looking into a latent space: straight-line interpolation and a 2-D scatter coloured by class."""
from __future__ import annotations

import matplotlib.pyplot as plt
import torch

from .plots import _finish


def interpolate(start: torch.Tensor, end: torch.Tensor, steps: int = 10) -> torch.Tensor:
    """``steps`` points on the straight line from ``start`` to ``end`` (both included): steps × (their shape)."""
    if start.shape != end.shape:
        raise ValueError(f"start and end must have the same shape, found {tuple(start.shape)} and {tuple(end.shape)}")
    if steps < 2:
        raise ValueError(f"steps must be at least 2 (the two ends), found {steps}")
    t = torch.linspace(0, 1, steps, device=start.device).view(-1, *([1] * start.ndim))
    return (1 - t) * start + t * end


def plot_latent_scatter(points, labels, classes: list[str], title: str = "Latent codes", path=None, ax=None):
    """N×2 latent codes (e.g. the encoder's means), one colour per class, with a legend."""
    points = torch.as_tensor(points).detach().float().cpu()
    labels = torch.as_tensor(labels).detach().cpu()
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"plot_latent_scatter needs N×2 points, found shape {tuple(points.shape)}: "
                         "use a 2-dimensional latent space (or reduce it to 2 dimensions first)")
    if len(points) != len(labels):
        raise ValueError(f"{len(points)} points but {len(labels)} labels")
    own = ax is None
    if own:
        fig, ax = plt.subplots(figsize=(6, 5))
    for k, name in enumerate(classes):
        chosen = labels == k
        ax.scatter(points[chosen, 0], points[chosen, 1], s=4, alpha=0.6, color=plt.cm.tab10(k % 10), label=name)
    ax.set_xlabel("z₁")
    ax.set_ylabel("z₂")
    ax.set_title(title)
    ax.legend(markerscale=3, fontsize=8, loc="best")
    return _finish(ax.figure, path) if own else ax


"""Looking into a latent space: straight-line interpolation and a 2-D scatter coloured by class."""
from __future__ import annotations

import matplotlib.pyplot as plt
import torch

from .plots import _finish, image_grid


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


def show_traversal(images: torch.Tensor, row_labels: list[str], column_values=None, title: str = "Latent traversal",
                   path=None):
    """Images in row-major order as a grid with one labelled row each (e.g. a category) and, optionally, the value
    of the swept variable above each column (e.g. a continuous code from −1 to 1)."""
    rows = len(row_labels)
    cols, extra = divmod(len(images), rows)
    if extra or cols == 0:
        raise ValueError(f"{len(images)} images do not fill {rows} rows equally")
    if column_values is not None and len(column_values) != cols:
        raise ValueError(f"{len(column_values)} column values for {cols} columns")
    grid = image_grid(images, nrow=cols)
    fig, ax = plt.subplots(figsize=(0.8 * cols + 1.5, 0.8 * rows + 0.8))
    ax.imshow(grid.permute(1, 2, 0).numpy())
    height, width = grid.shape[1] / rows, grid.shape[2] / cols
    ax.set_yticks([height * (i + 0.5) for i in range(rows)], row_labels)
    if column_values is None:
        ax.set_xticks([])
    else:
        ax.set_xticks([width * (j + 0.5) for j in range(cols)], [f"{float(v):.2g}" for v in column_values])
    ax.set_title(title)
    return _finish(fig, path)

"""Sample grids during training: one callback instead of a hand-written one in every training cell."""
from __future__ import annotations

import math
from pathlib import Path
from typing import Callable, Iterable

import torch
from torch import nn

from .history import History
from .plots import show_class_grid, show_grid


def sample_in_eval(G: nn.Module, *inputs: torch.Tensor) -> torch.Tensor:
    """``G(*inputs)`` in eval mode without a graph (BatchNorm uses its running statistics), then G's mode back."""
    was_training = G.training
    G.eval()
    try:
        with torch.no_grad():
            return G(*inputs)
    finally:
        G.train(was_training)


def grid_snapshots(G: nn.Module, noise: torch.Tensor, folder: str | Path, title: str, *,
                   epochs: Iterable[int] | None = None, every: int | None = None, n_epochs: int | None = None,
                   labels: torch.Tensor | None = None, classes: list[str] | None = None
                   ) -> Callable[[int, History], None]:
    """An ``on_epoch_end`` callback for :func:`shared.fit_gan` that draws ``G(noise)`` and saves the grid.

    Draws at the epochs listed in ``epochs``, or every ``every`` epochs and at the last one
    (``n_epochs``). With ``labels`` (a conditional G) it draws ``G(noise, labels)``, and with
    ``classes`` one labelled row per class. Grids are saved as ``folder/epoch_007.png``.
    """
    if epochs is None and every is None:
        raise ValueError("grid_snapshots needs the epochs to draw at (epochs=[...]) or a frequency (every=k)")
    wanted = set(epochs or ())

    def snapshot(epoch: int, history: History | None = None) -> None:
        due = epoch in wanted or (every is not None and (epoch % every == 0 or epoch == n_epochs))
        if not due:
            return
        inputs = (noise,) if labels is None else (noise, labels)
        images = sample_in_eval(G, *inputs)
        path = Path(folder) / f"epoch_{epoch:03d}.png"
        if classes is not None:
            show_class_grid(images, classes, title=f"{title}, epoch {epoch}", path=path)
        else:
            show_grid(images, title=f"{title}, epoch {epoch}", path=path)

    return snapshot


def epochs_for_steps(steps: int, batches_per_epoch: int) -> int:
    """Epochs that give at least ``steps`` optimisation steps: train by a step budget, not an epoch count.

    A GAN's quality follows the number of updates, not the number of passes: 25 epochs of the
    50,000 CIFAR-10 training images at batch 128 are 9,750 steps, and a 10,000-image stand-in needs
    125 epochs for the same budget.
    """
    if steps < 1 or batches_per_epoch < 1:
        raise ValueError(f"need steps ≥ 1 and batches_per_epoch ≥ 1, found {steps} and {batches_per_epoch}")
    return math.ceil(steps / batches_per_epoch)

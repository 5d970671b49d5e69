"""Plots people would rather look at than read: losses, sample grids, sweep comparisons."""
from __future__ import annotations

import math
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.ticker import MaxNLocator
import torch
from torchvision.utils import make_grid, save_image

from .history import History
from .shown import Shown


def image_grid(images: torch.Tensor, nrow: int | None = None) -> torch.Tensor:
    """N×C×H×W images in [-1, 1] → one C×H'×W' grid in [0, 1] (square by default: 5×5, 8×8)."""
    images = images.detach().float().cpu()
    nrow = nrow or max(1, int(math.ceil(math.sqrt(len(images)))))
    return make_grid(images, nrow=nrow, normalize=True, value_range=(-1, 1), padding=2)


def show_grid(grid_or_images: torch.Tensor, title: str = "", path: str | Path | None = None, ax=None):
    """Show a grid (C×H×W in [0, 1]) or a batch of images (N×C×H×W in [-1, 1]); optionally save it."""
    grid = grid_or_images
    if grid.ndim == 4:
        grid = image_grid(grid)
    grid = grid.detach().float().cpu().clamp(0, 1)
    if path is not None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        save_image(grid, str(path))
    own = ax is None
    if own:
        fig, ax = plt.subplots(figsize=(5, 5))
    ax.imshow(grid.permute(1, 2, 0).numpy(), cmap="gray" if grid.shape[0] == 1 else None)
    ax.set_title(title)
    ax.axis("off")
    if own:
        plt.show()
        return Shown(ax)
    return ax


def plot_losses(history: History, title: str = "Losses", epochs: tuple[int, int] | None = None,
                separate: bool = True, path: str | Path | None = None, names: list[str] | None = None):
    """Loss per batch, all losses together and (``separate``) each on its own axis.

    D's loss can be tiny next to G's, so the separate panels keep both readable.
    ``epochs=(first, last)`` restricts the plot to a range of epochs; ``names`` picks the
    recorded values to show (default: all of them).
    """
    names = _known(history, names)
    steps = [i for i, e in enumerate(history.epochs) if epochs is None or epochs[0] <= e <= epochs[1]]
    panels = 1 + (len(names) if separate and len(names) > 1 else 0)
    fig, axes = plt.subplots(1, panels, figsize=(5 * panels, 3.5), squeeze=False)
    axes = axes[0]
    for name in names:
        axes[0].plot(steps, [history.values[name][i] for i in steps], label=name, linewidth=0.8)
    axes[0].set_title(title)
    axes[0].legend()
    for ax, name in zip(axes[1:], names):
        ax.plot(steps, [history.values[name][i] for i in steps], linewidth=0.8, color=f"C{names.index(name)}")
        ax.set_title(name)
    for ax in axes:
        ax.set_xlabel("batch")
    return _finish(fig, path)


def plot_comparison(histories: dict[str, History], title: str = "Per-epoch mean loss", path=None,
                    names: list[str] | None = None):
    """One panel per loss (or per name in ``names``), one line per setting: how each setting moves the curves."""
    names = _known(next(iter(histories.values())), names)
    fig, axes = plt.subplots(1, len(names), figsize=(5 * len(names), 3.5), squeeze=False)
    for ax, name in zip(axes[0], names):
        for label, history in histories.items():
            means = history.epoch_means()[name]
            ax.plot(range(1, len(means) + 1), means, marker="o", markersize=3, label=label)
        ax.set_title(name)
        ax.set_xlabel("epoch")
        ax.legend(fontsize=8)
    fig.suptitle(title)
    return _finish(fig, path)


def plot_accuracy(histories: History | dict[str, History], title: str = "Discriminator accuracy",
                  real: str = "acc_real", fake: str = "acc_fake", path=None):
    """Per-epoch accuracy of D on real and on fake batches, one panel per run.

    A D that wins outright sits at 1.0 on both; 0.5 is a coin flip (the dashed line).
    """
    if isinstance(histories, History):
        histories = {"": histories}
    fig, axes = plt.subplots(1, len(histories), figsize=(5 * len(histories), 3.5), squeeze=False, sharey=True)
    for ax, (label, history) in zip(axes[0], histories.items()):
        means = history.epoch_means()
        for key, name in ((real, "on real images"), (fake, "on fake images")):
            if key not in means:
                raise KeyError(f"the history has no {key!r}; it recorded {history.names}")
            ax.plot(range(1, len(means[key]) + 1), means[key], marker="o", markersize=3, label=name)
        ax.axhline(0.5, color="grey", linestyle="--", linewidth=0.8)
        ax.set_ylim(-0.05, 1.05)
        ax.set_xlabel("epoch")
        ax.set_title(label or title)
        ax.legend(fontsize=8)
    if len(histories) > 1:
        fig.suptitle(title)
    return _finish(fig, path)


def show_class_grid(images: torch.Tensor, classes: list[str], title: str = "", path=None, column_values=None):
    """Images ordered class by class (the same number per class) as a grid with one labelled row per class.

    ``column_values`` labels the columns too: a latent traversal (rows = categories, columns = the value of a
    swept continuous code, e.g. −1 … 1).
    """
    per_row, extra = divmod(len(images), len(classes))
    if extra or per_row == 0:
        raise ValueError(f"{len(images)} images cannot fill {len(classes)} rows equally; "
                         "generate the same number of images for every class")
    if column_values is not None and len(column_values) != per_row:
        raise ValueError(f"{len(column_values)} column values for {per_row} columns")
    grid = image_grid(images, nrow=per_row)
    fig, ax = plt.subplots(figsize=(0.9 * per_row + 1.5, 0.9 * len(classes) + (0.4 if column_values is not None else 0)))
    ax.imshow(grid.permute(1, 2, 0).numpy())
    row_height, column_width = grid.shape[1] / len(classes), grid.shape[2] / per_row
    ax.set_yticks([row_height * (i + 0.5) for i in range(len(classes))], classes)
    if column_values is None:
        ax.set_xticks([])
    else:
        ax.set_xticks([column_width * (j + 0.5) for j in range(per_row)], [f"{float(v):.2g}" for v in column_values])
    ax.set_title(title)
    return _finish(fig, path)


def _known(history: History, names: list[str] | None) -> list[str]:
    if names is None:
        return history.names
    missing = [n for n in names if n not in history.names]
    if missing:
        raise KeyError(f"the history has no {missing}; it recorded {history.names}")
    return list(names)


def _finish(fig, path):
    """Lay out, save (when ``path`` is given, creating its folder) and show a figure; return it, shown."""
    fig.tight_layout()
    if path is not None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=100)
    plt.show()
    return Shown(fig)


def plot_per_class(values, classes: list[str], title: str = "Per class", ylabel: str = "accuracy", path=None,
                   chance: float | None = None):
    """One bar per class (e.g. the auxiliary classifier's accuracy on generated images of each class).

    ``chance`` draws a dashed line at the value a random guess would reach (1 / number of classes).
    """
    values = [float(v) for v in (values.tolist() if hasattr(values, "tolist") else values)]
    if len(values) != len(classes):
        raise ValueError(f"{len(values)} values for {len(classes)} classes: give one value per class")
    fig, ax = plt.subplots(figsize=(max(4.0, 0.6 * len(classes) + 1.5), 3.2))
    ax.bar(range(len(classes)), values, color="C0")
    ax.set_xticks(range(len(classes)), classes)
    if chance is not None:
        ax.axhline(chance, color="grey", linestyle="--", linewidth=0.8, label="chance")
        ax.legend(fontsize=8)
    if all(0 <= v <= 1 for v in values):  # accuracies and shares: the whole [0, 1] scale
        ax.set_ylim(0, 1.05)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    return _finish(fig, path)


def plot_weight_histograms(models: dict, clip: float | None = None, title: str = "Weights of the critic",
                           bins: int = 100, path=None):
    """One histogram per network of all its weight values (matrices and kernels; biases and norms left out).

    With ``clip`` (the weight-clipping bound c) dashed lines mark ±c: clipped weights pile up there.
    """
    fig, axes = plt.subplots(1, len(models), figsize=(5 * len(models), 3.2), squeeze=False)
    for ax, (label, model) in zip(axes[0], models.items()):
        weights = [p.detach().flatten().cpu() for p in model.parameters() if p.ndim > 1]
        if not weights:
            raise ValueError(f"{label} has no weight matrices or kernels to draw")
        ax.hist(torch.cat(weights).numpy(), bins=bins, color="C0")
        if clip is not None:
            for x in (-clip, clip):
                ax.axvline(x, color="C3", linestyle="--", linewidth=0.8)
        ax.set_title(label)
        ax.set_xlabel("weight value")
        ax.xaxis.set_major_locator(MaxNLocator(5))  # ±0.01 in full: fewer ticks keep the labels apart
    axes[0][0].set_ylabel("count")
    fig.suptitle(title)
    return _finish(fig, path)


def show_grids(images_by_name: dict, title: str = "", nrow: int | None = None, path=None):
    """Several batches of images (N×C×H×W in [-1, 1]) side by side, one titled grid each."""
    fig, axes = plt.subplots(1, len(images_by_name), figsize=(4 * len(images_by_name), 4.3), squeeze=False)
    for ax, (name, images) in zip(axes[0], images_by_name.items()):
        grid = image_grid(images, nrow).clamp(0, 1)
        ax.imshow(grid.permute(1, 2, 0).numpy(), cmap="gray" if grid.shape[0] == 1 else None)
        ax.set_title(name)
        ax.axis("off")
    if title:
        fig.suptitle(title)
    return _finish(fig, path)


def plot_curves(x, curves: dict, xlabel: str, ylabel: str, title: str = "", logy: bool = False, path=None):
    """Several functions of one variable on one axis: ``curves`` maps a name to its values at ``x``."""
    x = torch.as_tensor(x).detach().float().cpu().flatten()
    fig, ax = plt.subplots(figsize=(6, 3.6))
    for name, values in curves.items():
        values = torch.as_tensor(values).detach().float().cpu().flatten()
        if len(values) != len(x):
            raise ValueError(f"{name}: {len(values)} values for {len(x)} points")
        ax.plot(x, values, label=name)
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(fontsize=8)
    return _finish(fig, path)

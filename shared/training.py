"""A generic GAN training loop: progress bar, loss history, per-epoch hook, resumable."""
from __future__ import annotations

from typing import Callable, Iterable, Mapping

from .checkpoints import TrainingCheckpoint
from .fingerprint import run_fingerprint
from .history import History
from .progress import progress


def fit_gan(
    loader: Iterable,
    n_epochs: int,
    train_batch: Callable[..., Mapping[str, float]],
    *,
    on_epoch_start: Callable[[int], None] | None = None,
    on_epoch_end: Callable[[int, History], None] | None = None,
    checkpoint: TrainingCheckpoint | None = None,
    desc: str = "training",
) -> History:
    """Run ``train_batch(images, labels)`` on every batch for ``n_epochs`` epochs.

    ``train_batch`` does one optimisation step of each network and returns its losses as
    numbers, e.g. ``{"D": 1.2, "G": 0.8}``; they are recorded in the returned
    :class:`History`. ``on_epoch_end(epoch, history)`` runs after each (1-based) epoch, for
    sample grids; ``on_epoch_start(epoch)`` runs before each, for schedules that depend on the
    epoch (it is called for resumed epochs too). With a ``checkpoint``, a finished epoch is saved and a rerun resumes after
    the last saved epoch, if the same code with the same settings wrote it (``train_batch``, ``on_epoch_start``, the
    notebook functions they call, the networks and the optimisers; see :mod:`shared.fingerprint`); otherwise the run
    starts afresh and says so.
    """
    start, history = 0, History()
    if checkpoint is not None:
        checkpoint.fingerprint = run_fingerprint(train_batch, checkpoint.models, checkpoint.optimizers, on_epoch_start)
        start, history = checkpoint.load()
        if checkpoint.stale is not None:
            print(f"The code or settings of this run changed since {checkpoint.path} was saved: starting afresh "
                  f"(the old checkpoint is kept as {checkpoint.stale.name}).")
    if start:
        print(f"Resuming from {checkpoint.path} after epoch {start}.")
    for epoch in range(start + 1, n_epochs + 1):
        if on_epoch_start is not None:
            on_epoch_start(epoch)
        bar = progress(loader, desc=f"{desc} epoch {epoch}/{n_epochs}", leave=epoch == n_epochs)
        for images, labels in bar:
            losses = {k: _number(v) for k, v in train_batch(images, labels).items()}
            history.record(epoch, **losses)
            bar.set_postfix({k: f"{v:.3f}" for k, v in losses.items()}, refresh=False)
        if checkpoint is not None:
            checkpoint.save(epoch, history)
        if on_epoch_end is not None:
            on_epoch_end(epoch, history)
    return history


def _number(value) -> float:
    return float(value.detach()) if hasattr(value, "detach") else float(value)

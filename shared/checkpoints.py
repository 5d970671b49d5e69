"""Saving and resuming: generator weights for hand-in, whole training state for restarts."""
from __future__ import annotations

import os
from pathlib import Path

import torch

from .history import History


class TrainingCheckpoint:
    """Everything needed to resume a run after a crash or a Colab disconnect.

    ``save(epoch, history)`` writes models, optimisers, the history and the epoch to one file
    (atomically, so an interrupted save never leaves a broken checkpoint); ``load()`` restores
    them in place and returns ``(epoch, history)``, or ``(0, History())`` when nothing is saved.

    ``fingerprint`` (set by :func:`shared.fit_gan` from the code and settings of the run, see
    :mod:`shared.fingerprint`) is saved too; a checkpoint with another one (or none) is not resumed but set
    aside as ``<name>.stale`` (``stale`` says where), so a fixed function never continues the old run.
    """

    def __init__(self, path: str | os.PathLike, models: dict, optimizers: dict | None = None):
        self.path = Path(path)
        self.models = models
        self.optimizers = optimizers or {}
        self.fingerprint: str | None = None
        self.stale: Path | None = None

    def save(self, epoch: int, history: History) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        state = {
            "epoch": epoch,
            "fingerprint": self.fingerprint,
            "history": history.state_dict(),
            "models": {k: m.state_dict() for k, m in self.models.items()},
            "optimizers": {k: o.state_dict() for k, o in self.optimizers.items()},
        }
        tmp = self.path.with_suffix(self.path.suffix + ".tmp")
        torch.save(state, tmp)
        os.replace(tmp, self.path)

    def load(self) -> tuple[int, History]:
        if not self.path.is_file():
            return 0, History()
        state = torch.load(self.path, map_location="cpu", weights_only=True)
        if self.fingerprint is not None and state.get("fingerprint") != self.fingerprint:
            self.stale = set_aside(self.path)
            return 0, History()
        for key, model in self.models.items():
            model.load_state_dict(state["models"][key])
        for key, optimizer in self.optimizers.items():
            optimizer.load_state_dict(state["optimizers"][key])
        return int(state["epoch"]), History.from_state_dict(state["history"])


def set_aside(path: Path) -> Path:
    """Rename a saved file that other code wrote to ``<name>.stale`` (nothing is deleted); returns the new path."""
    stale = path.with_name(path.name + ".stale")
    os.replace(path, stale)
    return stale


def load_state_dict_file(path: str | os.PathLike) -> dict:
    """Load a saved ``state_dict`` safely (tensors only, no pickled code) onto the CPU."""
    return torch.load(path, map_location="cpu", weights_only=True)


def load_weights(model: torch.nn.Module, path: str | os.PathLike) -> torch.nn.Module:
    """Load a saved ``state_dict`` into ``model`` (strictly: every name must match) and return it."""
    model.load_state_dict(load_state_dict_file(path), strict=True)
    return model

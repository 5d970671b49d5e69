"""Experiment sweeps: one training run per setting, a results table and comparison plots."""
from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping

import matplotlib.pyplot as plt
import torch

from .checkpoints import set_aside
from .fingerprint import run_fingerprint
from .history import History
from .plots import image_grid, plot_comparison


@dataclass
class RunResult:
    """What one training run of a sweep hands back."""

    history: History
    samples: torch.Tensor | None = None  # N×C×H×W in [-1, 1], shown as a grid
    metrics: dict = field(default_factory=dict)  # extra numbers for the table


@dataclass
class SweepResult:
    settings: dict[str, dict]
    runs: dict[str, RunResult]

    def rows(self) -> list[dict]:
        rows = []
        for name, run in self.runs.items():
            row = {"setting": name, **self.settings[name]}
            row.update({f"final {k}": v for k, v in run.history.final().items()})
            row.update(run.metrics)
            rows.append(row)
        return rows

    def table(self, columns: list[str] | None = None) -> str:
        """A Markdown table: one row per setting, its parameters, final-epoch mean losses and metrics.

        ``columns`` chooses and orders the columns (default: all, in the order they appear);
        a missing value shows as "–".
        """
        rows = self.rows()
        columns = columns or list(dict.fromkeys(key for row in rows for key in row))
        fmt = lambda v: "–" if v is None else f"{v:.4g}" if isinstance(v, float) else str(v)  # noqa: E731
        lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        lines += ["| " + " | ".join(fmt(row.get(c)) for c in columns) + " |" for row in rows]
        return "\n".join(lines)

    def plot(self, title: str = "Sweep", names: list[str] | None = None):
        """Per-epoch losses (``names``: which ones) of every setting side by side, then one sample grid per setting."""
        plot_comparison({k: r.history for k, r in self.runs.items()}, title=title, names=names)
        with_samples = {k: r.samples for k, r in self.runs.items() if r.samples is not None}
        if with_samples:
            fig, axes = plt.subplots(1, len(with_samples), figsize=(3.2 * len(with_samples), 3.4), squeeze=False)
            for ax, (name, samples) in zip(axes[0], with_samples.items()):
                grid = image_grid(samples)
                ax.imshow(grid.permute(1, 2, 0).numpy())
                ax.set_title(name, fontsize=9)
                ax.axis("off")
            fig.tight_layout()
            plt.show()


def run_sweep(settings: Mapping[str, dict], run: Callable[..., RunResult],
              results_dir: str | os.PathLike | None = None) -> SweepResult:
    """Call ``run(**kwargs)`` once per named setting and collect the results.

    With ``results_dir``, each finished run is saved there and skipped on a rerun, so an
    interrupted sweep resumes where it stopped; a result saved by other code (``run`` and the notebook functions it
    reaches, see :mod:`shared.fingerprint`) or for other settings is run again, and the old file kept as ``.stale``.
    """
    runs: dict[str, RunResult] = {}
    for name, kwargs in settings.items():
        saved = Path(results_dir) / f"{_slug(name)}.pt" if results_dir is not None else None
        fingerprint = run_fingerprint(functools.partial(run, **kwargs)) if saved is not None else None
        if saved is not None and saved.is_file():
            state = torch.load(saved, map_location="cpu", weights_only=True)
            if state.get("fingerprint") == fingerprint:
                runs[name] = RunResult(History.from_state_dict(state["history"]), state["samples"], state["metrics"])
                print(f"[{name}] loaded from {saved}")
                continue
            print(f"[{name}] the code or settings changed since {saved} was saved: running it again "
                  f"(the old result is kept as {set_aside(saved).name})")
        print(f"[{name}] {kwargs}")
        result = run(**kwargs)
        if not isinstance(result, RunResult):
            raise TypeError(f"run() must return a shared.sweep.RunResult, got {type(result).__name__}")
        runs[name] = result
        if saved is not None:
            saved.parent.mkdir(parents=True, exist_ok=True)
            samples = None if result.samples is None else result.samples.detach().cpu()
            torch.save({"history": result.history.state_dict(), "samples": samples, "metrics": result.metrics,
                        "fingerprint": fingerprint}, saved)
    return SweepResult(dict(settings), runs)


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)

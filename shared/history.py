"""Loss history: one value per batch, summarised per epoch and per range of epochs."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field


@dataclass
class History:
    """Per-batch values of named losses, each tagged with its (1-based) epoch."""

    values: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    epochs: list[int] = field(default_factory=list)

    def record(self, epoch: int, **losses: float) -> None:
        """Append one batch's losses, e.g. ``history.record(epoch, D=d_loss, G=g_loss)``."""
        if self.values and set(losses) != set(self.values):
            raise ValueError(f"record() got {sorted(losses)}, earlier batches had {sorted(self.values)}")
        self.epochs.append(int(epoch))
        for name, value in losses.items():
            self.values[name].append(float(value))

    @property
    def names(self) -> list[str]:
        return list(self.values)

    @property
    def n_epochs(self) -> int:
        return max(self.epochs, default=0)

    def epoch_means(self) -> dict[str, list[float]]:
        """Mean of each loss per epoch, in epoch order."""
        out: dict[str, list[float]] = {}
        for name, series in self.values.items():
            sums: dict[int, list[float]] = defaultdict(list)
            for epoch, value in zip(self.epochs, series):
                sums[epoch].append(value)
            out[name] = [sum(v) / len(v) for _, v in sorted(sums.items())]
        return out

    def mean_over(self, first: int, last: int) -> dict[str, float]:
        """Mean of each loss over epochs ``first..last`` (inclusive)."""
        out = {}
        for name, series in self.values.items():
            chosen = [v for e, v in zip(self.epochs, series) if first <= e <= last]
            out[name] = sum(chosen) / len(chosen) if chosen else float("nan")
        return out

    def final(self) -> dict[str, float]:
        """Mean of each loss over the last epoch."""
        return self.mean_over(self.n_epochs, self.n_epochs)

    def state_dict(self) -> dict:
        return {"values": {k: list(v) for k, v in self.values.items()}, "epochs": list(self.epochs)}

    @classmethod
    def from_state_dict(cls, state: dict) -> "History":
        history = cls()
        history.epochs = list(state["epochs"])
        for name, series in state["values"].items():
            history.values[name] = list(series)
        return history


def epoch_ranges(n_epochs: int, fractions=(0.25, 0.5, 1.0)) -> list[tuple[int, int]]:
    """Split epochs 1..n into consecutive ranges ending at the given fractions.

    For 100 epochs this gives (1, 25), (26, 50), (51, 100); small runs keep every range
    non-empty where possible, so fast mode makes the same plots on fewer epochs.
    """
    if n_epochs < 1:
        raise ValueError("n_epochs must be at least 1")
    ranges, start = [], 1
    for fraction in fractions:
        end = max(start, round(n_epochs * fraction))
        end = min(end, n_epochs)
        if start <= end and (not ranges or end > ranges[-1][1]):
            ranges.append((start, end))
            start = end + 1
    if ranges[-1][1] != n_epochs:
        ranges.append((start, n_epochs))
    return ranges


def snapshot_epochs(n_epochs: int, fractions=(0.25, 0.5, 1.0)) -> list[int]:
    """Epoch 1 and the end of each range: 1, 25, 50, 100 for a 100-epoch run."""
    return sorted({1, *(end for _, end in epoch_ranges(n_epochs, fractions))})

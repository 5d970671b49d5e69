"""The result of an evaluation: prints as one line, never shows a made-up number."""
from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Metrics:
    fid: float | None
    kid_mean: float | None
    kid_std: float | None
    is_mean: float | None
    is_std: float | None
    n_generated: int
    n_reference: int
    reference: str
    is_unavailable: str | None = None  # why the Inception Score is missing, when it is
    fid_features: int = 2048  # the Inception layer FID was computed on (fast mode: 64)
    skipped: str | None = None  # why nothing was computed, when nothing was

    def __str__(self) -> str:
        if self.skipped:
            return f"FID/KID/IS not computed: {self.skipped}"
        parts = []
        if self.fid is not None:
            layer = "" if self.fid_features == 2048 else f" (on {self.fid_features}-d features, not the standard 2048)"
            parts.append(f"FID {self.fid:.1f}{layer}")
        if self.kid_mean is not None:
            parts.append(f"KID {self.kid_mean:.3f} ± {self.kid_std:.3f}")
        if self.is_mean is not None:
            parts.append(f"IS {self.is_mean:.2f} ± {self.is_std:.2f}")
        elif self.is_unavailable:
            parts.append(f"IS unavailable: {self.is_unavailable}")
        return " · ".join(parts)

    def as_row(self) -> dict:
        """Numbers for a results table (missing ones as None)."""
        return {"FID": self.fid, "KID": self.kid_mean, "IS": self.is_mean}


def finite_or_none(value) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None

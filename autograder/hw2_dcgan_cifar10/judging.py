"""Judge-side helpers of the HW2 checks: read what the probes recorded (plain data) back into the shapes the
shared expectations take. Nothing here runs student code.
"""
from __future__ import annotations

import torch
from torch import nn

from autograder.toolkit.expect import CheckFailed, expect
from autograder.toolkit.probes import Trace

_BASES = {name: getattr(nn, name) for name in (
    "ReLU", "LeakyReLU", "Tanh", "Sigmoid", "ELU", "GELU", "SiLU", "PReLU", "SELU", "ReLU6", "Softplus", "Mish",
    "Hardtanh", "Softmax", "BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "SyncBatchNorm", "Conv2d", "ConvTranspose2d")}


class View:
    """An answer whose keys carry a prefix (two step cases, or a problem probed inside a larger one)."""

    def __init__(self, answer, prefix: str):
        self.answer, self.prefix = answer, prefix

    @property
    def seed(self) -> int:
        return self.answer.seed

    def __getitem__(self, key):
        return self.answer[self.prefix + key]

    def __contains__(self, key):
        return self.prefix + key in self.answer

    def get(self, key, default=None):
        return self.answer.get(self.prefix + key, default)

    def tensor(self, key, what=None):
        return self.answer.tensor(self.prefix + key, what or key)

    def state(self, key, like, what):
        return self.answer.state(self.prefix + key, like, what)


def _leaf(data) -> nn.Module:
    """A module standing for one leaf the student's network ran: its type name, its torch.nn base, its slope."""
    expect(isinstance(data, dict), "The grader could not read the layers your network ran.")
    name = data.get("type") if isinstance(data.get("type"), str) else "Module"
    bases = [b for b in data.get("bases", []) if isinstance(b, str) and b in _BASES] \
        if isinstance(data.get("bases"), list) else []
    base = _BASES[bases[0]] if bases else nn.Module
    cls = base if data.get("exact") is True and base.__name__ == name else type(name or "Module", (base,), {})
    module = cls.__new__(cls)
    nn.Module.__init__(module)
    slope = data.get("slope")
    if isinstance(slope, (int, float)) and not isinstance(slope, bool):
        module.negative_slope = float(slope)
    elif issubclass(cls, nn.LeakyReLU):
        module.negative_slope = float("nan")
    return module


def rebuild_trace(data) -> Trace:
    """The :class:`autograder.toolkit.probes.Trace` a probe recorded with ``record_trace``, for the shared expectations."""
    expect(isinstance(data, dict) and isinstance(data.get("leaves"), list) and isinstance(data.get("outputs"), list)
           and len(data["leaves"]) == len(data["outputs"]) and len(data["leaves"]) <= 10_000,
           "The grader could not read the layers your network ran.")
    outputs = [o if isinstance(o, torch.Tensor) else None for o in data["outputs"]]
    return Trace([_leaf(leaf) for leaf in data["leaves"]], outputs, data.get("out"))


__all__ = ["CheckFailed", "View", "rebuild_trace"]

"""The student's side of a step check: stale gradients, an optimiser watched for what it does, the states after.

No answers here: the judge rebuilds the same networks from the same seed, runs its own reference step and
compares the states this side reports (:mod:`autograder.toolkit.steps`).
"""
from __future__ import annotations

import torch

from autograder.pipeline.runner import plain
from autograder.toolkit.steps import adam, fill_grads, record_events


def prepare_step(trained: torch.nn.Module, lr: float = 1e-3) -> tuple:
    """``(optimizer, events)`` for the network a step trains: stale gradients and an Adam optimiser, watched."""
    fill_grads(trained)
    optimizer = adam(trained, lr)
    return optimizer, record_events(optimizer)


def steps_trained(step, n: int) -> list:
    """Call ``step()`` ``n`` times; the values it returned, as plain data."""
    return [plain(step()) for _ in range(n)]

"""What the judge got from the student's side for one problem: plain data, read defensively.

``answer["loss"]`` is the value the probe recorded. Where the student's code raised before that value was
recorded, the same access fails the problem with the student's own error (what the check would have met);
where it is simply missing or of the wrong kind, the problem fails with a clear message. Nothing here can run
code: the data came through :mod:`autograder.pipeline.wire`.
"""
from __future__ import annotations

import torch

from autograder.toolkit.expect import CheckFailed
from autograder.pipeline.wire import ERROR
from autograder.integrity.student_text import one_line

RAISED = "Your code raised an error when the grader ran it:"


class Answer:
    def __init__(self, data, inputs: dict):
        self.data = data if isinstance(data, dict) else {}
        self.inputs = dict(inputs)

    @property
    def seed(self) -> int:
        return int(self.inputs["seed"])

    @property
    def error(self) -> str | None:
        error = self.data.get(ERROR)
        return error if isinstance(error, str) else None

    def __contains__(self, key: str) -> bool:
        return key in self.data

    def __getitem__(self, key: str):
        if key in self.data:
            return self.data[key]
        if self.error is not None:
            raise CheckFailed(RAISED, self.error)
        raise CheckFailed(f"The grader received no `{key}` from your code for this problem.")

    def get(self, key: str, default=None):
        return self.data.get(key, default)

    def tensor(self, key: str, what: str | None = None) -> torch.Tensor:
        value = self[key]
        if not isinstance(value, torch.Tensor):
            raise CheckFailed(f"{what or key} should be a torch.Tensor, found {type_name(value)}.")
        return value

    def state(self, key: str, like: torch.nn.Module, what: str) -> dict:
        """A network's state dict that must fit ``like`` (same names and shapes), else a clear failure."""
        value = self[key]
        expected = like.state_dict()
        if not isinstance(value, dict) or set(value) != set(expected) or any(
                not isinstance(value[k], torch.Tensor) or value[k].shape != t.shape for k, t in expected.items()):
            raise CheckFailed(f"The grader could not read {what}: your code replaced or reshaped the network's "
                              "parameters instead of training them.")
        return value


def type_name(value) -> str:
    """How messages name a value the student returned (plain data, or a stand-in holding its type)."""
    if isinstance(value, dict) and isinstance(value.get("__type__"), str):
        return one_line(value["__type__"], 60)  # the student's own class may have any name
    return type(value).__name__


def device_name(value) -> str:
    """Where a tensor the student returned lives ("meta" arrives as a stand-in), or what it is instead."""
    if isinstance(value, torch.Tensor):
        return "cpu"
    if isinstance(value, dict) and "device" in value:
        return one_line(value["device"], 30)
    return type_name(value)

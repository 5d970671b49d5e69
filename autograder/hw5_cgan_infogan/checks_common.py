"""Judge-side helpers of the HW5 checks: the asserting halves of the shared conditional-network checks, read from
what the probes recorded (never imported by a probe; the student's process cannot read this file).
"""
from __future__ import annotations

import torch
from torch import nn

from autograder.answer import type_name
from autograder.conditioning import _change, _expect_per_image_labels
from autograder.expect import expect
from autograder.expect import expect_floats as _expect_floats
from autograder.expect import expect_shape as _expect_shape
from autograder.probes import Trace, expect_output_activation

EVENTS = ("grad", "zero_grad", "step")


def expect_shape(value, expected: tuple, what: str, hint: str = "") -> None:
    """:func:`autograder.expect.expect_shape` for a value the student's side recorded (a stand-in names its type)."""
    expect(isinstance(value, torch.Tensor), f"{what} should be a torch.Tensor, found {type_name(value)}.")
    _expect_shape(value, expected, what, hint)


def expect_floats(value, function: str, keys: tuple[str, ...]) -> dict[str, float]:
    """A step's returned dict, as recorded: the keys, each a number."""
    if isinstance(value, dict) and isinstance(value.get("__type__"), str) and not set(keys) <= set(value):
        named = " and ".join([", ".join(f'"{k}"' for k in keys[:-1]), f'"{keys[-1]}"'])
        expect(False, f"{function} should return a dict with the keys {named}, found {type_name(value)}.")
    return _expect_floats(value, function, keys)


def events(value, what: str = "your step") -> list:
    """An optimiser's recorded events (see :func:`autograder.steps.record_events`), checked to be only that."""
    expect(isinstance(value, list) and all(isinstance(e, str) and e in EVENTS for e in value),
           f"The grader could not read what {what} did with its optimiser.")
    return value


def load(answer, key: str, module: nn.Module, what: str) -> nn.Module:
    """``module`` (the judge's own copy of a fixture network) with the state the student's side reported."""
    module.load_state_dict(answer.state(key, module, what))
    return module


def int_list(value) -> list | None:
    """A recorded list of integers, sorted; None if it is not one."""
    if isinstance(value, list) and all(type(v) is int for v in value):
        return sorted(value)
    return None


def expect_embedding(has_embedding, name: str) -> None:
    expect(has_embedding is True,
           f"{name} should learn a vector per class with an nn.Embedding(n_classes, ...) layer; it has none. Turn the "
           "integer labels into embeddings rather than feeding the raw label numbers to the network.")


def expect_tanh_output(call: str, recorded) -> None:
    """:func:`autograder.probes.expect_output_activation` (nn.Tanh) on the forward pass the probe traced."""
    ok = (isinstance(recorded, dict) and isinstance(recorded.get("tanh"), list)
          and isinstance(recorded.get("outputs"), list) and len(recorded["tanh"]) == len(recorded["outputs"])
          and all(isinstance(t, bool) for t in recorded["tanh"]) and isinstance(recorded.get("out"), torch.Tensor))
    expect(ok, f"{call}: the grader could not read what the network computes.")
    leaves = [nn.Tanh() if is_tanh else nn.Identity() for is_tanh in recorded["tanh"]]
    outputs = [o if isinstance(o, torch.Tensor) else None for o in recorded["outputs"]]
    expect_output_activation(call, Trace(leaves, outputs, recorded["out"]), nn.Tanh)


def expect_uses_labels(answer, key: str, name: str, what: str, inputs: str, tiny: float, hint: str) -> None:
    """The asserting half of :func:`autograder.conditioning.expect_uses_labels`, same messages, on recorded outputs."""
    base = answer.tensor(f"{key}_base", f"{name}'s {what}")
    by_input = _change(base, answer.tensor(f"{key}_by_input", f"{name}'s {what}"))
    by_label = _change(base, answer.tensor(f"{key}_by_label", f"{name}'s {what}"))
    expect(by_input > tiny, f"{name}'s {what} do not depend on the {inputs}: feed them to the network together with "
           "the label embedding.")
    expect(by_label > max(tiny, 1e-3 * by_input),
           f"Changing only the labels (same {inputs}, eval mode) changed {name}'s {what} by {by_label:.2e} on average "
           f"(changing the {inputs}: {by_input:.2e}): the labels are ignored. {hint}")
    one = answer.tensor(f"{key}_one", f"{name}'s {what}")
    expect(one.shape == base.shape and len(base) > 3, f"{name}'s {what} should have one row per image.")
    _expect_per_image_labels(base, one, 3, name, what)
    expect(answer[f"{key}_embedding_learns"] is True,
           f"{name}'s nn.Embedding gets no gradient from the output: the embedding exists but the network does not "
           "use it (feeding the raw label numbers instead?). Feed embedding(labels) to the network.")

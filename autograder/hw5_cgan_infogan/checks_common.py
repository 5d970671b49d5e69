"""Judge-side helpers of the HW5 checks: the asserting halves of the shared conditional-network checks, read from
what the probes recorded (never imported by a probe; the student's process cannot read this file).
"""
from __future__ import annotations

import re

import torch
from torch import nn

from autograder.pipeline.answer import type_name
from autograder.toolkit.conditioning import _change, _expect_per_image_labels
from autograder.toolkit.expect import expect
from autograder.toolkit.expect import expect_floats as _expect_floats
from autograder.toolkit.expect import expect_shape as _expect_shape
from autograder.toolkit.gradient_paths import expect_gradients_everywhere
from autograder.toolkit.probes import Trace, expect_output_activation

_CAT_SIZES = re.compile(r"Sizes of tensors must match except in dimension (-?\d+)")


def expect_shape(value, expected: tuple, what: str, hint: str = "") -> None:
    """:func:`autograder.toolkit.expect.expect_shape` for a value the student's side recorded (a stand-in names its type)."""
    expect(isinstance(value, torch.Tensor), f"{what} should be a torch.Tensor, found {type_name(value)}.")
    _expect_shape(value, expected, what, hint)


def expect_floats(value, function: str, keys: tuple[str, ...]) -> dict[str, float]:
    """A step's returned dict, as recorded: the keys, each a number."""
    if isinstance(value, dict) and isinstance(value.get("__type__"), str) and not set(keys) <= set(value):
        named = " and ".join([", ".join(f'"{k}"' for k in keys[:-1]), f'"{keys[-1]}"'])
        expect(False, f"{function} should return a dict with the keys {named}, found {type_name(value)}.")
    return _expect_floats(value, function, keys)


def ran(answer, key: str, call: str, joined: str, otherwise: str | None = None):
    """What the probe recorded under ``key`` (see the probe's ``_ran``); where the student's code raised, a message that
    names the fix where the error identifies it.

    ``joined`` says what the concatenation puts side by side (the fix when ``torch.cat`` joined along dim=0, the
    batch, tensors with different numbers of columns); ``otherwise`` explains any other error (the caller knows what
    worked before: N×nz noise where N×nz×1×1 noise failed, say).
    """
    error = answer.get(f"{key}_error")
    if not isinstance(error, str):
        return answer[key]
    found = _CAT_SIZES.search(error)
    if found and found.group(1) == "0":
        expect(False, f"{call} raised an error in torch.cat (quoted below): the tensors were joined along dim=0, the "
               f"batch, but they have different numbers of columns. {joined}: join them along dim=1, the features.",
               error)
    if otherwise is not None:
        expect(False, f"{call} raised an error (quoted below). {otherwise}", error)
    expect(False, f"{call} raised an error:", error)


def expect_gradients(found, call: str, embedding: bool) -> None:
    """:func:`autograder.toolkit.gradient_paths.expect_gradients_everywhere` on the network's parameters, the label embedding's
    included only when ``embedding`` (its own check names the usual cause: the raw labels fed instead)."""
    if isinstance(found, list) and not embedding:
        found = [f for f in found if not (isinstance(f, (list, tuple)) and f and isinstance(f[0], str)
                                          and f[0].endswith("(Embedding) weight"))]
    expect_gradients_everywhere(found, call)


def read_calls(value, net: str, counters: tuple[str, ...] = ()) -> list[dict]:
    """The calls of a network the probe watched (``_watch``): each with its mode, its tensor inputs and counters."""
    ok = isinstance(value, list) and all(
        isinstance(c, dict) and isinstance(c.get("training"), bool) and isinstance(c.get("inputs"), list)
        and all(isinstance(t, torch.Tensor) for t in c["inputs"]) and all(type(c.get(k)) is int for k in counters)
        for c in value)
    expect(ok, f"The grader could not read how your step called {net}.")
    return value


def expect_called_in_training_mode(calls: dict[str, list], function: str) -> None:
    """Every call of each watched network during ``function`` was made in training mode."""
    for net, made in calls.items():
        off = sum(not c["training"] for c in made)
        expect(off == 0, f"{function} called {net} in evaluation mode ({off} of its {len(made)} calls): BatchNorm "
               f"would then use its running statistics and Dropout would stop dropping while {net} trains. Leave "
               f"both networks in training mode throughout the step (no {net}.eval()).")


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
    """:func:`autograder.toolkit.probes.expect_output_activation` (nn.Tanh) on the forward pass the probe traced."""
    ok = (isinstance(recorded, dict) and isinstance(recorded.get("tanh"), list)
          and isinstance(recorded.get("outputs"), list) and len(recorded["tanh"]) == len(recorded["outputs"])
          and all(isinstance(t, bool) for t in recorded["tanh"]) and isinstance(recorded.get("out"), torch.Tensor))
    expect(ok, f"{call}: the grader could not read what the network computes.")
    leaves = [nn.Tanh() if is_tanh else nn.Identity() for is_tanh in recorded["tanh"]]
    outputs = [o if isinstance(o, torch.Tensor) else None for o in recorded["outputs"]]
    expect_output_activation(call, Trace(leaves, outputs, recorded["out"]), nn.Tanh)


def expect_uses_labels(answer, key: str, name: str, what: str, inputs: str, tiny: float, hint: str) -> None:
    """The asserting half of :func:`autograder.toolkit.conditioning.expect_uses_labels`, same messages, on recorded outputs."""
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
           "use it (feeding the raw label numbers instead?), or something in forward cuts it off (.detach(), "
           "torch.no_grad(), a tensor rebuilt with torch.tensor(...)). Feed embedding(labels) to the network as it is.")

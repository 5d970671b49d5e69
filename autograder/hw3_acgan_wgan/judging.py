"""Judge-side helpers of the HW3 checks: reading the student's answers (plain, untrusted data) with the messages
the checks have always given. Never imported by the probes."""
from __future__ import annotations

import torch

from autograder.pipeline.answer import type_name
from autograder.toolkit.expect import as_float, expect, expect_shape


def number(value, what: str) -> float:
    """:func:`as_float`, naming a returned object by its type (it arrives as a stand-in holding its type)."""
    if isinstance(value, dict) and "__type__" in value:
        expect(False, f"{what} should be a number (use loss.item()), found {type_name(value)}.")
    return as_float(value, what)


def floats(value, function: str, keys: tuple[str, ...]) -> dict[str, float]:
    """A step's returned dict: it must hold ``keys``, each a number (as :func:`autograder.toolkit.expect.expect_floats`)."""
    named = " and ".join([", ".join(f'"{k}"' for k in keys[:-1]), f'"{keys[-1]}"'])
    is_dict = isinstance(value, dict) and "__type__" not in value
    expect(is_dict and set(keys) <= set(value),
           f"{function} should return a dict with the keys {named}, found "
           f"{sorted(value) if is_dict else type_name(value)}.")
    return {key: number(value[key], f"{function}(...)[{key!r}]") for key in keys}


def shape(value, expected: tuple, what: str, hint: str = "") -> torch.Tensor:
    """:func:`expect_shape` on a value the student returned."""
    expect(isinstance(value, torch.Tensor), f"{what} should be a torch.Tensor, found {type_name(value)}.")
    expect_shape(value, expected, what, hint)
    return value


def load(answer, key: str, module: torch.nn.Module, what: str) -> torch.nn.Module:
    """``module`` with the state the student's side reported under ``key``."""
    module.load_state_dict(answer.state(key, module, what))
    return module


def loss_tensor(answer, key: str, message: str) -> torch.Tensor:
    """A returned loss: a one-element tensor that carried a graph on the student's side, else ``message``."""
    value = answer[key]
    expect(isinstance(value, torch.Tensor) and value.numel() == 1 and answer.get(f"{key}_graph") is True,
           message.format(found=type_name(value)))
    return value

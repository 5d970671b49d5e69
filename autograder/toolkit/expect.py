"""Assertions with messages a student can act on: what was expected, what was found, a hint."""
from __future__ import annotations

import math

import torch


class CheckFailed(AssertionError):
    """A failed check: ``message`` in the grader's words; ``student_text``, what the student's own code said
    (its error), kept apart so that it is always shown quoted as the student's and never as the grader's."""

    def __init__(self, message: str = "", student_text: str | None = None):
        super().__init__(message)
        self.student_text = student_text


def expect(condition: bool, message: str, student_text: str | None = None) -> None:
    if not condition:
        raise CheckFailed(message, student_text)


def expect_shape(tensor, expected: tuple, what: str, hint: str = "") -> None:
    expect(isinstance(tensor, torch.Tensor), f"{what} should be a torch.Tensor, found {type(tensor).__name__}.")
    found = tuple(tensor.shape)
    expect(found == tuple(expected), f"{what} should have shape {tuple(expected)}, found {found}. {hint}".strip())


def as_float(value, what: str) -> float:
    """Accept a Python number or a one-element tensor; anything else fails clearly."""
    if isinstance(value, torch.Tensor):
        expect(value.numel() == 1, f"{what} should be a single number, found a tensor of shape {tuple(value.shape)}.")
        value = value.detach().item()
    expect(isinstance(value, (int, float)), f"{what} should be a number (use loss.item()), found {type(value).__name__}.")
    value = float(value)
    expect(math.isfinite(value), f"{what} should be finite, found {value}. An inf or nan usually comes from log(0): "
           "a log written by hand, such as -torch.log(D(x)), when D outputs exactly 0 or 1. nn.BCELoss clamps its "
           "logarithm at -100 for this reason: use it (or F.binary_cross_entropy) instead of the formula.")
    return value


def expect_floats(value, function: str, keys: tuple[str, ...]) -> dict[str, float]:
    """A step's returned dict: it must hold ``keys``, each a number; returns them as floats."""
    named = " and ".join([", ".join(f'"{k}"' for k in keys[:-1]), f'"{keys[-1]}"'])
    expect(isinstance(value, dict) and set(keys) <= set(value),
           f"{function} should return a dict with the keys {named}, found "
           f"{sorted(value) if isinstance(value, dict) else type(value).__name__}.")
    return {key: as_float(value[key], f"{function}(...)[{key!r}]") for key in keys}


def expect_close(found: float, expected: float, what: str, tol: float = 1e-4, hint: str = "") -> None:
    ok = abs(found - expected) <= tol * max(1.0, abs(expected))
    expect(ok, f"{what}: expected {expected:.6f} (tolerance {tol:g}), found {found:.6f}. {hint}".strip())


def same_parameters(a: torch.nn.Module, b: torch.nn.Module, atol: float = 1e-6) -> bool:
    return all(torch.allclose(p.detach().cpu(), q.detach().cpu(), atol=atol) for p, q in zip(a.parameters(), b.parameters()))


def expect_generator_learns(generator_step, G, D, g_optimizer, z, steps: int = 10, min_gain: float = 0.05) -> None:
    """A few of the student's generator steps with D frozen must raise the mean D(G(z))."""
    with torch.no_grad():
        before = D(G(z)).mean().item()
    for _ in range(steps):
        generator_step(G, D, g_optimizer, z)
    with torch.no_grad():
        after = D(G(z)).mean().item()
    expect(after > before + min_gain,
           f"{steps} generator steps with D frozen should raise the mean D(G(z)); it went {before:.3f} → {after:.3f}.")

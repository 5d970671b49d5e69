"""What the notebooks' visible sanity cells use: fixed inputs and a printed comparison with stored values.

Inputs are drawn on the CPU from a seed (the same numbers on every machine), then moved to the device;
stored values were computed once from a correct answer and are compared with a relative tolerance.
"""
from __future__ import annotations

import torch


def fixed_randn(*shape: int, seed: int = 0, device=None) -> torch.Tensor:
    """Standard-normal numbers of the given shape, the same on every machine, on ``device``."""
    x = torch.randn(*shape, generator=torch.Generator().manual_seed(seed))
    return x.to(device) if device is not None else x


def as_number(x) -> float:
    return x.detach().item() if isinstance(x, torch.Tensor) else float(x)


def rel_error(found, expected) -> float:
    """|found − expected| relative to the larger of the two (numbers or one-element tensors)."""
    found, expected = as_number(found), as_number(expected)
    return abs(found - expected) / max(abs(found), abs(expected), 1e-8)


def check_value(what: str, found, expected, hint: str, tol: float = 1e-3) -> None:
    """Print what was expected and found; stop with ``hint`` when they differ by more than ``tol`` (relative)."""
    if isinstance(found, torch.Tensor) and found.numel() != 1:
        raise AssertionError(f"{what} should be a single number, found a tensor of shape {tuple(found.shape)}. {hint}")
    print(f"{what}: expected {as_number(expected):.5g}, found {as_number(found):.5g}")
    assert rel_error(found, expected) < tol, f"{what} is off. {hint}"


def count_layers(net: torch.nn.Module, kind: type) -> int:
    return sum(isinstance(m, kind) for m in net.modules())

"""What the loss checks (problems 06 and 07) share: a loss on fixed scores against the reference, with hints."""
from __future__ import annotations

import torch

from autograder.expect import as_float, expect, expect_close


def expect_loss(function, name: str, args: tuple, expected: torch.Tensor, formula: str,
                mistakes: dict[str, torch.Tensor] | None = None) -> None:
    """``function(*args)`` must be a scalar tensor with a graph equal to ``expected``; ``mistakes`` maps a hint to
    the value a known wrong formula gives, so the message can name the mistake."""
    value = function(*args)
    expect(isinstance(value, torch.Tensor) and value.numel() == 1,
           f"{name} should return the loss as a one-element tensor, found "
           f"{type(value).__name__}{' of shape ' + str(tuple(value.shape)) if isinstance(value, torch.Tensor) else ''}.")
    expect(value.requires_grad, f"{name} returned a tensor without a graph: compute it with torch operations on the "
           "scores, without .item() or .detach().")
    found = as_float(value, name)
    for hint, wrong in (mistakes or {}).items():
        if abs(found - wrong.item()) < 1e-5 * max(1.0, abs(wrong.item())) and abs(wrong.item() - expected.item()) > 1e-4:
            expect(False, f"{name} on fixed scores: expected {expected.item():.6f}, found {found:.6f}. {hint}")
    expect_close(found, expected.item(), f"{name} on fixed scores", 1e-5, f"{name} = {formula}.")
    value.backward()
    expect(all(a.grad is not None for a in args), f"{name} should depend on every score it is given.")
    for a in args:
        a.grad = None


def expect_finite(function, name: str, args: tuple) -> None:
    value = function(*args)
    found = value.detach().item() if isinstance(value, torch.Tensor) else value
    expect(torch.isfinite(torch.as_tensor(found)).item(),
           f"{name} is {found} for scores of ±100: a log written by hand, such as torch.log(1 - torch.sigmoid(s)), "
           "becomes log(0) there. Use F.binary_cross_entropy_with_logits (or F.logsigmoid), which is exact.")

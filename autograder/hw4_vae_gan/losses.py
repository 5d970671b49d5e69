"""What the loss checks (problems 06 and 07) share: a loss the student's side computed on fixed scores, judged
against the reference, with hints (the probe recorded the value, whether it has a graph and whether backward
reached every score: :func:`autograder.hw4_vae_gan.probes._loss`)."""
from __future__ import annotations

import torch

from autograder.pipeline.answer import type_name
from autograder.toolkit.expect import CheckFailed, as_float, expect, expect_close


def recorded(answer, key: str) -> dict:
    info = answer[key]
    if not isinstance(info, dict) or "value" not in info:
        raise CheckFailed(f"The grader could not read what {key} returned.")
    return info


def expect_loss(answer, name: str, expected: torch.Tensor, formula: str,
                mistakes: dict[str, torch.Tensor] | None = None) -> None:
    """The value of ``name`` on fixed scores must be a scalar tensor with a graph equal to ``expected``; ``mistakes``
    maps a hint to the value a known wrong formula gives, so the message can name the mistake."""
    info = recorded(answer, name)
    value = info["value"]
    is_tensor = isinstance(value, torch.Tensor)
    expect(is_tensor and value.numel() == 1,
           f"{name} should return the loss as a one-element tensor, found "
           f"{type_name(value) if not is_tensor else 'Tensor'}{' of shape ' + str(tuple(value.shape)) if is_tensor else ''}.")
    expect(info.get("requires_grad") is True, f"{name} returned a tensor without a graph: compute it with torch "
           "operations on the scores, without .item() or .detach().")
    found = as_float(value, name)
    expected = float(expected.detach())
    for hint, wrong in (mistakes or {}).items():
        wrong = float(wrong.detach())
        if abs(found - wrong) < 1e-5 * max(1.0, abs(wrong)) and abs(wrong - expected) > 1e-4:
            expect(False, f"{name} on fixed scores: expected {expected:.6f}, found {found:.6f}. {hint}")
    expect_close(found, expected, f"{name} on fixed scores", 1e-5, f"{name} = {formula}.")
    expect(answer[f"{name}_reached"] is True, f"{name} should depend on every score it is given.")


def expect_finite(answer, key: str, name: str) -> None:
    value = answer[key]
    if isinstance(value, torch.Tensor):
        found = value.item() if value.numel() == 1 else value
        finite = bool(torch.isfinite(value.float()).all()) if value.numel() else False
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        found, finite = value, bool(torch.isfinite(torch.tensor(float(value))))
    else:
        found, finite = type_name(value), False
    expect(finite, f"{name} is {found} for scores of ±100: a log written by hand, such as torch.log(1 - torch.sigmoid(s)), "
           "becomes log(0) there. Use F.binary_cross_entropy_with_logits (or F.logsigmoid), which is exact.")

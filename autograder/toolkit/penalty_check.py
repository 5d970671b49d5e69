"""The judge's side of the gradient-penalty check (WGAN-GP, HW2 and HW3), on what
:func:`autograder.toolkit.penalty_probe.record_gradient_penalty` recorded."""
from __future__ import annotations

import torch

from autograder.pipeline.answer import type_name
from autograder.toolkit.expect import as_float, expect, expect_close
from autograder.toolkit.penalty_probe import linear_critic


def _penalty(answer, key: str, what: str) -> torch.Tensor:
    value = answer[key]
    expect(isinstance(value, torch.Tensor) and value.numel() == 1,
           f"gradient_penalty should return a one-element tensor, found "
           f"{type_name(value)}{' of shape ' + str(tuple(value.shape)) if isinstance(value, torch.Tensor) else ''}.")
    expect(answer[f"{key}_unchanged"] is True,
           "gradient_penalty changed the real or fake images it was given: build the interpolates as a new tensor.")
    as_float(value, f"gradient_penalty ({what})")
    return value


def judge_gradient_penalty(answer, prefix: str = "") -> None:
    """Fails with the student's mistake named unless every recorded value is the penalty's (``prefix``: as
    recorded)."""
    seed = answer.seed

    # (a) A linear critic f(x) = <w, x> has gradient w at every x: the penalty is (‖w‖ − 1)² = 4 exactly.
    gp = _penalty(answer, prefix + "linear", "linear critic")
    expect_close(gp.item(), 4.0, "gradient_penalty for a critic whose gradient is a fixed vector of norm 3 "
                 "(so ‖∇‖ = 3 for every image and the penalty is (3 − 1)² = 4)", 1e-4,
                 "Take the L2 norm of each image's gradient over all its pixels (grads.flatten(1).norm(2, dim=1): "
                 "one norm per image, not over the whole batch and not over the channels only), then average "
                 "(norm − 1)² over the batch.")

    # (b) The penalty is part of the critic's loss: it must keep the graph back to the critic's parameters.
    expect(answer[prefix + "linear_requires_grad"] is True,
           "The penalty has no graph back to the critic's parameters, so the critic cannot learn from it: call "
           "torch.autograd.grad(..., create_graph=True).")
    w = linear_critic(seed).w.detach()
    expected_grad = 2 * (w.norm() - 1) * w / w.norm()  # d/dw (‖w‖ − 1)²
    grad = answer[prefix + "linear_w_grad"]
    expect(isinstance(grad, torch.Tensor) and grad.shape == w.shape
           and torch.allclose(grad, expected_grad, rtol=1e-3, atol=1e-5),
           "Backpropagating the penalty does not give the critic's parameters the right gradient: compute the "
           "gradients with torch.autograd.grad(scores.sum(), x_hat, create_graph=True) and keep everything after "
           "it differentiable (no .detach() or .item()).")

    # (c) f(x) = ½‖x‖² has gradient x. With fake = 0 and real images of norm 2, an interpolate ε·real has
    # ‖∇‖ = 2ε: with ε ~ U[0, 1] per image the penalty is E[(2ε − 1)²] = 1/3 (±0.005 for 4096 images), while
    # the real images give (2 − 1)² = 1, the fake ones 1, and ε drawn per pixel about 0.02.
    value = _penalty(answer, prefix + "quadratic", "quadratic critic").item()
    hint = "Evaluate the gradient at random interpolates x̂ = ε·real + (1 − ε)·fake with one ε ~ U[0, 1] per image."
    if abs(value - 1) < 0.01:
        hint = ("That is the penalty at the real (or fake) images themselves: " + hint[0].lower() + hint[1:])
    elif value < 0.15:
        hint = ("Is ε drawn for every pixel (draw one per image, shape N×1×1×1: torch.rand(len(real), 1, 1, 1)), "
                "or is the square missing from (‖∇‖ − 1)²?")
    expect(abs(value - 1 / 3) < 0.03,
           f"For a critic with ∇f(x) = x, real images of norm 2 and fake images 0, the penalty over 4096 images "
           f"should be E[(2ε − 1)²] = 1/3 ≈ 0.333 (±0.03, a tolerance far wider than the random spread); found "
           f"{value:.4f}. {hint}")

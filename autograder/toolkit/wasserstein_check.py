"""The judge's side of the Wasserstein-loss check (HW2, HW3 and HW4 ask for the same two functions): the returned
losses against the formulas, on scores the judge rebuilt from the grading's seed."""
from __future__ import annotations

from typing import Callable

import torch

from autograder.toolkit.expect import as_float, expect, expect_close

CRITIC_SHAPE = ("critic_loss should return a one-element tensor with a graph (computed from the scores with torch "
                "operations, so that .backward() works).")
GENERATOR_SHAPE = "wgan_generator_loss should return a one-element tensor with a graph."


def _one_element_with_graph(value, graph, message: str) -> torch.Tensor:
    expect(isinstance(value, torch.Tensor) and value.numel() == 1 and graph is True, message)
    return value


def judge_critic_loss(value, graph, reaches_both: Callable[[], bool], real: torch.Tensor, fake: torch.Tensor) -> None:
    """``critic_loss(real, fake)`` returned ``value`` (``graph``: it required grad; ``reaches_both()``: its gradient
    reached both score tensors, asked only once the value is right)."""
    loss = _one_element_with_graph(value, graph, CRITIC_SHAPE)
    expected = (fake.mean() - real.mean()).item()
    found = as_float(loss, "critic_loss")
    hint = ("The sign is reversed: the critic minimises mean(C(fake)) − mean(C(real)), i.e. it raises the scores "
            "of real images and lowers those of fakes." if abs(found + expected) < 1e-4 * max(1, abs(expected)) else
            "critic_loss(real_scores, fake_scores) = mean(fake_scores) − mean(real_scores).")
    expect_close(found, expected, "critic_loss on fixed scores", 1e-5, hint)
    expect(reaches_both() is True, "critic_loss should depend on both real and fake scores.")


def judge_generator_loss(value, graph, fake: torch.Tensor) -> None:
    """``wgan_generator_loss(fake)`` returned ``value`` (``graph``: it required grad)."""
    loss = _one_element_with_graph(value, graph, GENERATOR_SHAPE)
    expected = -fake.mean().item()
    found = as_float(loss, "wgan_generator_loss")
    hint = ("The sign is reversed: the generator wants high critic scores for its images, so it minimises "
            "−mean(C(G(z)))." if abs(found + expected) < 1e-4 * max(1, abs(expected)) else
            "wgan_generator_loss(fake_scores) = −mean(fake_scores).")
    expect_close(found, expected, "wgan_generator_loss on fixed scores", 1e-5, hint)

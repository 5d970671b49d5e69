import pytest
import torch

from autograder.expect import as_float, expect, expect_close
from autograder.hw2_dcgan_cifar10 import fixtures as fx
from autograder.hw2_dcgan_cifar10.probes import scores


def _loss(answer, key: str, message: str) -> torch.Tensor:
    value = answer[key]
    expect(isinstance(value, torch.Tensor) and value.numel() == 1 and answer[f"{key}_requires_grad"] is True, message)
    return value


def judge_wasserstein_losses(answer, prefix: str = "") -> None:
    """What ``probes.p09_wasserstein_losses`` recorded (with the same ``prefix``): also HW3's and HW4's check of
    these two functions."""
    seed = answer.seed
    real, fake = scores(16, fx.derived(seed, 0), 3.0), scores(16, fx.derived(seed, 1), -1.0)
    loss = _loss(answer, prefix + "critic_loss",
                 "critic_loss should return a one-element tensor with a graph (computed from the scores with torch "
                 "operations, so that .backward() works).")
    expected = (fake.mean() - real.mean()).item()
    found = as_float(loss, "critic_loss")
    hint = ("The sign is reversed: the critic minimises mean(C(fake)) − mean(C(real)), i.e. it raises the scores "
            "of real images and lowers those of fakes." if abs(found + expected) < 1e-4 * max(1, abs(expected)) else
            "critic_loss(real_scores, fake_scores) = mean(fake_scores) − mean(real_scores).")
    expect_close(found, expected, "critic_loss on fixed scores", 1e-5, hint)
    expect(answer[prefix + "critic_grads"] in ((True, True), [True, True]),
           "critic_loss should depend on both real and fake scores.")

    fake = scores(16, fx.derived(seed, 2), 0.5)
    loss = _loss(answer, prefix + "generator_loss", "wgan_generator_loss should return a one-element tensor with a graph.")
    expected = -fake.mean().item()
    found = as_float(loss, "wgan_generator_loss")
    hint = ("The sign is reversed: the generator wants high critic scores for its images, so it minimises "
            "−mean(C(G(z)))." if abs(found + expected) < 1e-4 * max(1, abs(expected)) else
            "wgan_generator_loss(fake_scores) = −mean(fake_scores).")
    expect_close(found, expected, "wgan_generator_loss on fixed scores", 1e-5, hint)


@pytest.mark.points(5)
def test_p09_wasserstein_losses(answer):
    """Wasserstein losses"""
    judge_wasserstein_losses(answer)

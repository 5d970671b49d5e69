import pytest
import torch

from autograder.expect import as_float, expect, expect_close
from autograder.hw2_dcgan_cifar10 import reference as ref


def _scores(n: int, seed: int, shift: float, device) -> torch.Tensor:
    s = torch.randn(n, 1, generator=torch.Generator().manual_seed(seed)) * 2 + shift
    return s.to(device).requires_grad_(True)


@pytest.mark.points(5)
def test_p09_wasserstein_losses(student):
    """Wasserstein losses"""
    dev = ref.device_of(student)
    real, fake = _scores(16, 1, 3.0, dev), _scores(16, 2, -1.0, dev)
    loss = student.critic_loss(real, fake)
    expect(isinstance(loss, torch.Tensor) and loss.numel() == 1 and loss.requires_grad,
           "critic_loss should return a one-element tensor with a graph (computed from the scores with torch "
           "operations, so that .backward() works).")
    expected = (fake.mean() - real.mean()).item()
    found = as_float(loss, "critic_loss")
    hint = ("The sign is reversed: the critic minimises mean(C(fake)) − mean(C(real)), i.e. it raises the scores "
            "of real images and lowers those of fakes." if abs(found + expected) < 1e-4 * max(1, abs(expected)) else
            "critic_loss(real_scores, fake_scores) = mean(fake_scores) − mean(real_scores).")
    expect_close(found, expected, "critic_loss on fixed scores", 1e-5, hint)
    loss.backward()
    expect(real.grad is not None and fake.grad is not None, "critic_loss should depend on both real and fake scores.")

    fake = _scores(16, 3, 0.5, dev)
    loss = student.wgan_generator_loss(fake)
    expect(isinstance(loss, torch.Tensor) and loss.numel() == 1 and loss.requires_grad,
           "wgan_generator_loss should return a one-element tensor with a graph.")
    expected = -fake.mean().item()
    found = as_float(loss, "wgan_generator_loss")
    hint = ("The sign is reversed: the generator wants high critic scores for its images, so it minimises "
            "−mean(C(G(z)))." if abs(found + expected) < 1e-4 * max(1, abs(expected)) else
            "wgan_generator_loss(fake_scores) = −mean(fake_scores).")
    expect_close(found, expected, "wgan_generator_loss on fixed scores", 1e-5, hint)

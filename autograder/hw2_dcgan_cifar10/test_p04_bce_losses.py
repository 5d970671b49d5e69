import math

import pytest
import torch

from autograder.expect import as_float, expect, expect_close
from autograder.hw2_dcgan_cifar10 import reference as ref


def _probabilities(n: int, seed: int, device) -> torch.Tensor:
    p = 0.05 + 0.9 * torch.rand(n, 1, generator=torch.Generator().manual_seed(seed))
    return p.to(device).requires_grad_(True)


def _loss(value, what: str) -> torch.Tensor:
    expect(isinstance(value, torch.Tensor) and value.numel() == 1,
           f"{what} should return the loss as a one-element tensor (so that .backward() works), found "
           f"{type(value).__name__}{' of shape ' + str(tuple(value.shape)) if isinstance(value, torch.Tensor) else ''}.")
    expect(value.requires_grad, f"{what} returned a tensor without a graph: compute it with torch operations "
           "(nn.BCELoss) on D's outputs, without .item() or .detach().")
    return value


@pytest.mark.points(10)
def test_p04_bce_losses(student):
    """BCE losses with one-sided label smoothing"""
    dev = ref.device_of(student)
    half = torch.full((8, 1), 0.5, device=dev)
    sanity = as_float(_loss(student.discriminator_loss(half.clone().requires_grad_(True), half.clone()
                                                      .requires_grad_(True)), "discriminator_loss"),
                      "discriminator_loss(0.5, 0.5)")
    expect_close(sanity, 2 * math.log(2), "discriminator_loss when D outputs 0.5 everywhere", 1e-5,
                 "Each BCE term is ln 2 there, and the loss is their sum BCE(D(real), real_label) + BCE(D(fake), 0): "
                 "add the two terms, do not average them.")

    for real_label in (1.0, 0.9):
        real_out, fake_out = _probabilities(16, 1, dev), _probabilities(16, 2, dev)
        loss = _loss(student.discriminator_loss(real_out, fake_out, real_label), "discriminator_loss")
        expected = ref.discriminator_loss(real_out, fake_out, real_label).item()
        hint = ("Smooth only the real labels: real images against real_label, fake images against 0 "
                "(one-sided label smoothing)." if real_label != 1.0 else
                "The loss is BCE(D(real), real_label) + BCE(D(fake), 0), each averaged over the batch (nn.BCELoss).")
        expect_close(as_float(loss, "discriminator_loss"), expected,
                     f"discriminator_loss on fixed outputs with real_label={real_label}", 1e-5, hint)
        loss.backward()
        expect(real_out.grad is not None and fake_out.grad is not None,
               "discriminator_loss should depend on both real_out and fake_out (no gradient reached one of them).")

    # A confident D outputs exactly 0 or 1 in float32: the losses must stay finite (nn.BCELoss clamps its log).
    sure_real, sure_fake = torch.zeros(4, 1, device=dev), torch.ones(4, 1, device=dev)
    saturated = as_float(student.discriminator_loss(sure_real, sure_fake, 1.0),
                         "discriminator_loss when D is sure and wrong (D(real) = 0, D(fake) = 1)")
    expect_close(saturated, ref.discriminator_loss(sure_real, sure_fake, 1.0).item(),
                 "discriminator_loss when D(real) = 0 and D(fake) = 1", 1e-4,
                 "nn.BCELoss clamps log(0) to -100, so each term is 100 there.")
    as_float(student.generator_loss(torch.zeros(4, 1, device=dev)), "generator_loss when D(G(z)) = 0")

    fake_out = _probabilities(16, 3, dev)
    loss = _loss(student.generator_loss(fake_out), "generator_loss")
    expect_close(as_float(loss, "generator_loss"), ref.generator_loss(fake_out).item(),
                 "generator_loss on fixed outputs", 1e-5,
                 "The non-saturating loss is BCE(D(G(z)), 1): the target is always 1, with no label smoothing "
                 "(smoothing applies only to the discriminator's real labels).")
    loss.backward()
    expect(fake_out.grad is not None and fake_out.grad.abs().sum() > 0, "generator_loss has no gradient.")

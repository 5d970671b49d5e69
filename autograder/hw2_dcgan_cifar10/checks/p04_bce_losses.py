import math

import torch

from autograder.pipeline.answer import type_name
from autograder.toolkit.device_probe import expect_on_meta
from autograder.toolkit.expect import as_float, expect, expect_close
from autograder.hw2_dcgan_cifar10 import fixtures as fx
from autograder.hw2_dcgan_cifar10 import reference as ref
from autograder.hw2_dcgan_cifar10.probes import probabilities


def _loss(answer, key: str, what: str) -> torch.Tensor:
    value = answer[key]
    expect(isinstance(value, torch.Tensor) and value.numel() == 1,
           f"{what} should return the loss as a one-element tensor (so that .backward() works), found "
           f"{type_name(value)}{' of shape ' + str(tuple(value.shape)) if isinstance(value, torch.Tensor) else ''}.")
    expect(answer[f"{key}_requires_grad"] is True, f"{what} returned a tensor without a graph: compute it with torch "
           "operations (nn.BCELoss) on D's outputs, without .item() or .detach().")
    return value


def _both_terms(answer, k: int) -> None:
    """Where only one of real_out and fake_out got a gradient, name the missing term."""
    reached = answer[f"d_grads{k}"]
    reached = list(reached) if isinstance(reached, (list, tuple)) else None
    for missing, term, other in ([False, True], "real", "fake"), ([True, False], "fake", "real"):
        expect(reached != missing,
               f"discriminator_loss gives no gradient to {term}_out: the {term} term "
               f"BCE({term}_out, {'real_label' if term == 'real' else '0'}) is missing or is computed on {other}_out.")


def test_p04_bce_losses(answer):
    """BCE losses with one-sided label smoothing"""
    seed = answer.seed
    sanity = as_float(_loss(answer, "sanity", "discriminator_loss"), "discriminator_loss(0.5, 0.5)")
    _both_terms(answer, 0)  # a missing term halves the value below as averaging does: say which it is
    expect_close(sanity, 2 * math.log(2), "discriminator_loss when D outputs 0.5 everywhere", 1e-5,
                 "Each BCE term is ln 2 there, and the loss is their sum BCE(D(real), real_label) + BCE(D(fake), 0): "
                 "add the two terms, do not average them.")

    for k, real_label in enumerate((1.0, 0.9)):
        real_out, fake_out = probabilities(16, fx.derived(seed, 2 * k)), probabilities(16, fx.derived(seed, 2 * k + 1))
        loss = _loss(answer, f"d_loss{k}", "discriminator_loss")
        _both_terms(answer, k)
        expected = ref.discriminator_loss(real_out, fake_out, real_label).item()
        hint = ("Smooth only the real labels: real images against real_label, fake images against 0 "
                "(one-sided label smoothing)." if real_label != 1.0 else
                "The loss is BCE(D(real), real_label) + BCE(D(fake), 0), each averaged over the batch (nn.BCELoss).")
        expect_close(as_float(loss, "discriminator_loss"), expected,
                     f"discriminator_loss on fixed outputs with real_label={real_label}", 1e-5, hint)
        expect(answer[f"d_grads{k}"] in ((True, True), [True, True]),
               "discriminator_loss should depend on both real_out and fake_out (no gradient reached one of them).")

    # A confident D outputs exactly 0 or 1 in float32: the losses must stay finite (nn.BCELoss clamps its log).
    sure_real, sure_fake = torch.zeros(4, 1), torch.ones(4, 1)
    saturated = as_float(answer["saturated"], "discriminator_loss when D is sure and wrong (D(real) = 0, D(fake) = 1)")
    expect_close(saturated, ref.discriminator_loss(sure_real, sure_fake, 1.0).item(),
                 "discriminator_loss when D(real) = 0 and D(fake) = 1", 1e-4,
                 "nn.BCELoss clamps log(0) to -100, so each term is 100 there.")
    as_float(answer["g_saturated"], "generator_loss when D(G(z)) = 0")

    fake_out = probabilities(16, fx.derived(seed, 4))
    loss = _loss(answer, "g_loss", "generator_loss")
    expect_close(as_float(loss, "generator_loss"), ref.generator_loss(fake_out).item(),
                 "generator_loss on fixed outputs", 1e-5,
                 "The non-saturating loss is BCE(D(G(z)), 1): the target is always 1, with no label smoothing "
                 "(smoothing applies only to the discriminator's real labels).")
    grad = answer["g_grad"]
    expect(isinstance(grad, torch.Tensor) and grad.abs().sum() > 0, "generator_loss has no gradient.")

    # The targets belong on the outputs' device (a GPU when training): made without it, they stay on the CPU.
    fix = ("Make each target on the outputs' device: torch.full_like(out, value), torch.ones_like(out) and "
           "torch.zeros_like(out) do (torch.full(shape, value) without device= makes it on the CPU).")
    expect_on_meta(answer["d_meta"], "discriminator_loss(real_out, fake_out, 0.9) with outputs on the device meta", fix)
    expect_on_meta(answer["g_meta"], "generator_loss(fake_out) with outputs on the device meta", fix)

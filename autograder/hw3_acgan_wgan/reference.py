"""Reference losses and steps for the HW3 checks (judge only: kept out of ``shared`` and out of the student's reach).

The step checks run the student's functions on small deterministic networks (:mod:`.fixtures`, no BatchNorm,
no dropout), so a student's own architecture cannot make a correct step look wrong; the judge runs these
steps on the same networks and compares. The Wasserstein losses and the penalty are the common ones
(:mod:`autograder.toolkit.reference_losses`). The steps take the helpers they call as arguments: the checks run them with the same stand-ins
(:func:`.fixtures.acgan_stand_ins`, :func:`.fixtures.wgan_stand_ins`) that the student's step was given.
"""
from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from autograder.toolkit.reference_losses import critic_loss, gradient_penalty, wgan_generator_loss  # noqa: F401
from autograder.toolkit.steps import adam, device_of, fill_grads, record_events  # noqa: F401

from .fixtures import (  # noqa: F401 (other homeworks import these from here: HW4 mnist_batch, HW5 NZ, noise)
    IMAGE, MNIST_PER_CLASS, N_CLASSES, NZ, ConstantGenerator, TinyACDiscriminator, TinyACGenerator, TinyGenerator,
    mnist_batch, noise, step_seeds, tiny_ac_discriminator, tiny_ac_generator, tiny_critic, tiny_generator)


# ------------------------------------------------------------------------------------------- ACGAN
def acgan_d_loss(real_src, real_cls, fake_src, fake_cls, real_labels, fake_labels) -> torch.Tensor:
    """−(L_S + L_C): the source BCE (real → 1, fake → 0) plus the class cross-entropy on real and fake."""
    bce = F.binary_cross_entropy_with_logits
    return (bce(real_src, torch.ones_like(real_src)) + bce(fake_src, torch.zeros_like(fake_src))
            + F.cross_entropy(real_cls, real_labels) + F.cross_entropy(fake_cls, fake_labels))


def acgan_g_loss(fake_src, fake_cls, fake_labels) -> torch.Tensor:
    """G maximises L_C − L_S, in its non-saturating form: BCE(fake → 1) plus the class cross-entropy."""
    return (F.binary_cross_entropy_with_logits(fake_src, torch.ones_like(fake_src))
            + F.cross_entropy(fake_cls, fake_labels))


ACGAN_HELPERS = dict(acgan_d_loss=acgan_d_loss, acgan_g_loss=acgan_g_loss)


def reference_acgan_step(G, D, g_optimizer, d_optimizer, real, labels, z, fake_labels, acgan_d_loss=acgan_d_loss,
                         acgan_g_loss=acgan_g_loss) -> dict:
    d_optimizer.zero_grad()
    fake = G(z, fake_labels)
    real_src, real_cls = D(real)
    fake_src, fake_cls = D(fake.detach())
    d_loss = acgan_d_loss(real_src, real_cls, fake_src, fake_cls, labels, fake_labels)
    d_loss.backward()
    d_optimizer.step()
    g_optimizer.zero_grad()
    fake_src, fake_cls = D(fake)
    g_loss = acgan_g_loss(fake_src, fake_cls, fake_labels)
    g_loss.backward()
    g_optimizer.step()
    return {"D": d_loss.item(), "G": g_loss.item(), "class_acc": (real_cls.argmax(1) == labels).float().mean().item()}


# -------------------------------------------------------------------------------------------- WGAN
def clip_weights(critic: nn.Module, c: float) -> None:
    with torch.no_grad():
        for p in critic.parameters():
            p.clamp_(-c, c)


WGAN_HELPERS = dict(critic_loss=critic_loss, wgan_generator_loss=wgan_generator_loss,
                    gradient_penalty=gradient_penalty, clip_weights=clip_weights)


def reference_wgan_step(G, critic, g_optimizer, c_optimizer, real_batches, nz, clip, lambda_gp, critic_loss=critic_loss,
                        wgan_generator_loss=wgan_generator_loss, gradient_penalty=gradient_penalty,
                        clip_weights=clip_weights) -> dict:
    """The WGAN step; exact for critics whose gradient does not depend on the point (ε is then irrelevant)."""
    for real in real_batches:
        fake = G(torch.randn(len(real), nz, device=real.device)).detach()
        c_optimizer.zero_grad()
        real_scores, fake_scores = critic(real), critic(fake)
        gp = gradient_penalty(critic, real, fake) if lambda_gp else torch.zeros((), device=real.device)
        c_loss = critic_loss(real_scores, fake_scores) + lambda_gp * gp
        c_loss.backward()
        c_optimizer.step()
        if clip is not None:
            clip_weights(critic, clip)
    g_optimizer.zero_grad()
    g_loss = wgan_generator_loss(critic(G(torch.randn(len(real), nz, device=real.device))))
    g_loss.backward()
    g_optimizer.step()
    return {"C": c_loss.item(), "G": g_loss.item(), "W": (real_scores.mean() - fake_scores.mean()).item(),
            "GP": gp.item()}

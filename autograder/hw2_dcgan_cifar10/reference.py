"""Reference losses, penalty and steps for the HW2 checks (judge only: kept out of ``shared`` and out of the
student's reach).

The step checks run the student's functions on small deterministic networks (:mod:`.fixtures`), so a student's
own architecture cannot make a correct step look wrong, and with the stand-in helpers of :mod:`.fixtures` in place
of the student's losses; the judge runs these steps on the same networks with the same stand-ins and compares.
The discriminator and the critic have no BatchNorm: a correct step that puts real and fake images through D in
one batch gives the same loss.
"""
from __future__ import annotations

import torch
from torch import nn

from autograder.toolkit.reference_losses import critic_loss, gradient_penalty, wgan_generator_loss  # noqa: F401
from autograder.toolkit.steps import StepCase, adam, device_of, fill_grads  # noqa: F401 (used by the checks)
from autograder.toolkit.steps import step_case as core_step_case

from .fixtures import (  # noqa: F401 (used by the checks, and by HW3's and HW4's references)
    CIFAR_PER_CLASS, DCGAN_MODEL_STAND_INS, NZ, TRAINING_HELPERS_SEED, NoiseAsImage, PixelNoiseGenerator,
    StandInDiscriminator, StandInGenerator, cifar_batch, dcgan_stand_ins, derived, exact_wgan_case, noise, randn,
    step_seeds, tiny_critic, tiny_discriminator, tiny_generator, wgan_stand_ins)


def make_activation(name):
    return {"relu": nn.ReLU, "leakyrelu": lambda: nn.LeakyReLU(0.2), "tanh": nn.Tanh}[name]()


class Generator(nn.Module):
    """The configurable DCGAN generator of problem 02 (a reference answer: never handed to student code)."""

    def __init__(self, nz=100, ngf=64, batchnorm=True, activation="relu", channels=3):
        super().__init__()

        def block(c_in, c_out, stride, padding):
            layers = [nn.ConvTranspose2d(c_in, c_out, 4, stride, padding, bias=not batchnorm)]
            return layers + ([nn.BatchNorm2d(c_out)] if batchnorm else []) + [make_activation(activation)]

        self.net = nn.Sequential(*block(nz, ngf * 4, 1, 0), *block(ngf * 4, ngf * 2, 2, 1), *block(ngf * 2, ngf, 2, 1),
                                 nn.ConvTranspose2d(ngf, channels, 4, 2, 1), nn.Tanh())

    def forward(self, z):
        return self.net(z.reshape(len(z), -1, 1, 1))


class Discriminator(nn.Module):
    """The configurable DCGAN discriminator of problem 03 (a reference answer: never handed to student code)."""

    def __init__(self, ndf=64, batchnorm=True, activation="leakyrelu", channels=3):
        super().__init__()

        def block(c_in, c_out, norm):
            layers = [nn.Conv2d(c_in, c_out, 4, 2, 1, bias=not norm)]
            return layers + ([nn.BatchNorm2d(c_out)] if norm else []) + [make_activation(activation)]

        self.net = nn.Sequential(*block(channels, ndf, False), *block(ndf, ndf * 2, batchnorm),
                                 *block(ndf * 2, ndf * 4, batchnorm), nn.Conv2d(ndf * 4, 1, 4, 1, 0), nn.Flatten(),
                                 nn.Sigmoid())

    def forward(self, x):
        return self.net(x)


def step_case(device, trains: str, seed: int | None = None) -> StepCase:
    """A (D, G) pair twice over; the trained network has stale gradients and an Adam optimiser per copy
    (the networks drawn from ``seed`` when given, as the probes draw them)."""
    if seed is None:
        return core_step_case(device, trains, tiny_discriminator, tiny_generator)
    seeds = step_seeds(seed)
    return core_step_case(device, trains, lambda device: tiny_discriminator(seeds["D"], device=device),
                          lambda device: tiny_generator(seeds["G"], device=device))


# ----------------------------------------------------------------------------------------- losses
def discriminator_loss(real_out, fake_out, real_label: float = 1.0) -> torch.Tensor:
    bce = nn.functional.binary_cross_entropy
    return bce(real_out, torch.full_like(real_out, real_label)) + bce(fake_out, torch.zeros_like(fake_out))


def generator_loss(fake_out) -> torch.Tensor:
    return nn.functional.binary_cross_entropy(fake_out, torch.ones_like(fake_out))


def add_instance_noise(images, std):
    return images + std * torch.randn_like(images)




# The reference versions of the helpers the steps call (the checks use the stand-ins of :mod:`.fixtures` instead).
DCGAN_HELPERS = dict(discriminator_loss=discriminator_loss, generator_loss=generator_loss,
                     add_instance_noise=add_instance_noise)
WGAN_HELPERS = dict(critic_loss=critic_loss, wgan_generator_loss=wgan_generator_loss,
                    gradient_penalty=gradient_penalty)


def reference_discriminator_step(D, G, d_optimizer, real, z, real_label: float = 1.0, helpers=None) -> dict:
    """One update of D; ``helpers`` (a dict like :data:`DCGAN_HELPERS`, the stand-ins in the checks) gives the loss."""
    loss_of = (helpers or DCGAN_HELPERS)["discriminator_loss"]
    d_optimizer.zero_grad()
    real_out = D(real)
    fake_out = D(G(z).detach())
    loss = loss_of(real_out, fake_out, real_label)
    loss.backward()
    d_optimizer.step()
    return {"D": loss.item(), "acc_real": (real_out > 0.5).float().mean().item(),
            "acc_fake": (fake_out < 0.5).float().mean().item(),
            "margin": torch.cat([real_out, fake_out]).sub(0.5).abs().min().item()}


def reference_generator_step(G, D, g_optimizer, z, helpers=None) -> float:
    loss_of = (helpers or DCGAN_HELPERS)["generator_loss"]
    g_optimizer.zero_grad()
    loss = loss_of(D(G(z)))
    loss.backward()
    g_optimizer.step()
    return loss.item()


def gradient_norms(critic, real, fake, seed: int = 7) -> torch.Tensor:
    """‖∇ₓ critic(x̂)‖ per sample at random interpolates x̂ = ε·real + (1 − ε)·fake."""
    eps = torch.rand(len(real), 1, 1, 1, generator=torch.Generator().manual_seed(seed)).to(real.device)
    x_hat = (eps * real + (1 - eps) * fake).requires_grad_(True)
    grads, = torch.autograd.grad(critic(x_hat).sum(), x_hat)
    return grads.flatten(1).norm(dim=1)


# ------------------------------------------------------------------------------------------ WGAN-GP
def reference_wgan_gp_step(G, critic, g_optimizer, c_optimizer, real_batches, nz, lambda_gp, helpers=None,
                           noises=None) -> dict:
    """The WGAN-GP step, for critics whose gradient does not depend on the point (ε is then irrelevant).

    ``helpers`` (a dict like :data:`WGAN_HELPERS`; the stand-ins in the checks) gives the losses and the penalty;
    ``noises`` (a list with the noise of each critic update, and the generator update's noise) replays the noise a
    step drew; without it the noise is drawn here. Also returns "critic_loss", the last update's critic loss
    without the penalty.
    """
    helpers = helpers or WGAN_HELPERS
    critic_noises, g_noise = noises if noises is not None else (None, None)
    for k, real in enumerate(real_batches):
        z = critic_noises[k].to(real.device) if critic_noises else torch.randn(len(real), nz, device=real.device)
        fake = G(z).detach()
        c_optimizer.zero_grad()
        real_scores, fake_scores = critic(real), critic(fake)
        gp = helpers["gradient_penalty"](critic, real, fake)
        w = real_scores.mean() - fake_scores.mean()
        base = helpers["critic_loss"](real_scores, fake_scores)
        c_loss = base + lambda_gp * gp
        c_loss.backward()
        c_optimizer.step()
    g_optimizer.zero_grad()
    z = g_noise.to(real.device) if g_noise is not None else torch.randn(len(real), nz, device=real.device)
    g_loss = helpers["wgan_generator_loss"](critic(G(z)))
    g_loss.backward()
    g_optimizer.step()
    return {"C": c_loss.item(), "G": g_loss.item(), "W": w.item(), "GP": gp.item(), "critic_loss": base.item()}

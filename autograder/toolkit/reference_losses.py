"""Reference GAN losses that more than one homework grades (judge only: out of the student's reach, like every
``reference.py``): the Wasserstein critic and generator losses, the WGAN-GP penalty, and the BCE losses on logits.
Each homework's reference imports them from here rather than from another homework.
"""
from __future__ import annotations

import torch
from torch.nn import functional as F


def critic_loss(real_scores, fake_scores):
    """The critic minimises E[D(fake)] − E[D(real)]."""
    return fake_scores.mean() - real_scores.mean()


def wgan_generator_loss(fake_scores):
    return -fake_scores.mean()


def gradient_penalty(critic, real, fake):
    """E[(‖∇D(x̂)‖₂ − 1)²] at random points x̂ between real and fake images (one ε per image)."""
    eps = torch.rand(len(real), 1, 1, 1, device=real.device)
    x_hat = (eps * real + (1 - eps) * fake).requires_grad_(True)
    grads, = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)
    return ((grads.flatten(1).norm(2, dim=1) - 1) ** 2).mean()


def bce_to(scores, target: float):
    """BCE of logits against a constant target (1: real, 0: fake)."""
    return F.binary_cross_entropy_with_logits(scores, torch.full_like(scores, target))


def minimax_d_loss(real, fake):
    """The discriminator's BCE on logits: real → 1, fake → 0."""
    return bce_to(real, 1.0) + bce_to(fake, 0.0)


def nonsaturating_g_loss(fake):
    """The generator's non-saturating loss on logits: fake → 1."""
    return bce_to(fake, 1.0)

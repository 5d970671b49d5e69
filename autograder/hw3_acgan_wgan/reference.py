"""Reference models, data, losses and steps for the HW3 checks (kept out of ``shared``: students get that).

The step checks run the student's functions on these small deterministic networks (no BatchNorm, no
dropout), so a student's own architecture cannot make a correct step look wrong. The Wasserstein pieces
(critic losses, gradient penalty, a linear critic with a known gradient) are HW2's, imported, not copied.
"""
from __future__ import annotations

import functools

import torch
from torch import nn
from torch.nn import functional as F

from autograder.hw2_dcgan_cifar10.reference import (  # noqa: F401 (used by the checks)
    ConstantGenerator, LinearCritic, critic_loss, gradient_penalty, wgan_generator_loss)
from autograder.steps import adam, device_of, fill_grads, record_events  # noqa: F401

NZ = 16  # noise size of the reference generators
N_CLASSES = 10
IMAGE = (1, 28, 28)


def _features() -> nn.Sequential:
    """1×28×28 → 16·7·7 features: two strided convolutions with LeakyReLU (no normalisation)."""
    return nn.Sequential(nn.Conv2d(1, 8, 4, 2, 1), nn.LeakyReLU(0.2),   # 14×14
                         nn.Conv2d(8, 16, 4, 2, 1), nn.LeakyReLU(0.2),  # 7×7
                         nn.Flatten())


def _decoder(n_in: int) -> nn.Sequential:
    """n_in numbers → 1×28×28 in [-1, 1]: a Linear layer to 16×7×7, then two transposed convolutions."""
    return nn.Sequential(nn.Linear(n_in, 16 * 7 * 7), nn.ReLU(), nn.Unflatten(1, (16, 7, 7)),
                         nn.ConvTranspose2d(16, 8, 4, 2, 1), nn.ReLU(),  # 14×14
                         nn.ConvTranspose2d(8, 1, 4, 2, 1), nn.Tanh())   # 28×28


class TinyACDiscriminator(nn.Module):
    """N×1×28×28 → (N×1 source logits, N×10 class logits), one shared trunk."""

    def __init__(self):
        super().__init__()
        self.features = _features()
        self.source = nn.Linear(16 * 49, 1)
        self.classes = nn.Linear(16 * 49, N_CLASSES)

    def forward(self, x):
        h = self.features(x)
        return self.source(h), self.classes(h)


class TinyACGenerator(nn.Module):
    """(N×NZ noise, N labels) → N×1×28×28 in [-1, 1]; the label enters through an embedding."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(N_CLASSES, NZ)
        self.net = _decoder(2 * NZ)

    def forward(self, z, labels):
        return self.net(torch.cat([z.reshape(len(z), -1), self.embed(labels)], dim=1))


class TinyGenerator(nn.Module):
    """N×NZ (or N×NZ×1×1) noise → N×1×28×28 in [-1, 1]."""

    def __init__(self):
        super().__init__()
        self.net = _decoder(NZ)

    def forward(self, z):
        return self.net(z.reshape(len(z), -1))


def _seeded(make, seed: int, device):
    torch.manual_seed(seed)  # initialised on the CPU, so every device starts from the same weights
    return make().to(device)


def tiny_ac_discriminator(seed: int = 0, device="cpu") -> nn.Module:
    return _seeded(TinyACDiscriminator, seed, device)


def tiny_ac_generator(seed: int = 1, device="cpu") -> nn.Module:
    return _seeded(TinyACGenerator, seed, device)


def tiny_generator(seed: int = 1, device="cpu") -> nn.Module:
    return _seeded(TinyGenerator, seed, device)


def tiny_critic(seed: int = 2, device="cpu") -> nn.Module:
    return _seeded(lambda: nn.Sequential(_features(), nn.Linear(16 * 49, 1)), seed, device)


def noise(n: int = 32, seed: int = 3, device="cpu", nz: int = NZ) -> torch.Tensor:
    return torch.randn(n, nz, generator=torch.Generator().manual_seed(seed)).to(device)


# --------------------------------------------------------------------------------------------- data
MNIST_PER_CLASS = 32  # 320 real test digits: enough for every check, read once per process


@functools.lru_cache(maxsize=1)
def _mnist() -> tuple[torch.Tensor, torch.Tensor]:
    from shared.data import load_mnist

    # Offline (GAN_COURSE_DATA set) this reads the local copy; otherwise the user cache, as the notebook does.
    data = load_mnist(train=False, verbose=False)
    picked = torch.cat([torch.nonzero(data.labels == c).flatten()[:MNIST_PER_CLASS] for c in range(N_CLASSES)])
    images, labels = data.images[picked], data.labels[picked]
    order = torch.arange(len(picked)).view(N_CLASSES, MNIST_PER_CLASS).t().flatten()  # the classes take turns
    return images[order], labels[order]


def mnist_batch(n: int = 64, device="cpu") -> tuple[torch.Tensor, torch.Tensor]:
    """``n`` real MNIST test digits in [-1, 1] and their labels, the ten classes taking turns."""
    images, labels = _mnist()
    if n > len(images):
        raise ValueError(f"mnist_batch holds {len(images)} images, {n} were asked for")
    return images[:n].clone().to(device), labels[:n].clone().to(device)


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


def reference_acgan_step(G, D, g_optimizer, d_optimizer, real, labels, z, fake_labels) -> dict:
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


def reference_wgan_step(G, critic, g_optimizer, c_optimizer, real_batches, nz, clip, lambda_gp) -> dict:
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

"""Inputs of the HW2 checks, built from the judge's seed the same way on both sides (no answers here).

The probes (student's side) and the checks (judge) both call these, so the judge knows exactly what the
student's code was given without receiving it. The *stand-ins* replace the student's own helpers (losses,
instance noise, penalty, the DCGAN networks) inside the steps and networks built on them, so a mistake in a
helper costs its own problem only; they are simple functions with the same signatures, deliberately not the
answers (the judge runs its reference steps with the very same stand-ins, so the comparisons stay exact).
"""
from __future__ import annotations

import functools

import torch
from torch import nn

from autograder.toolkit.critics import LinearCritic
from autograder.toolkit.steps import fill_grads

NZ = 16  # noise size of the small generators


def _generator(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(int(seed) % (2**63 - 1))


def derived(seed: int, k: int) -> int:
    """The ``k``-th seed derived from a grading seed (every input of a check gets its own)."""
    return (int(seed) * 7919 + 104_729 * (k + 1)) % (2**31 - 1)


def randn(*shape: int, seed: int, device="cpu") -> torch.Tensor:
    return torch.randn(*shape, generator=_generator(seed)).to(device)


def uniform_images(n: int, seed: int, device="cpu") -> torch.Tensor:
    """``n`` images of 3×32×32 with pixels uniform in [-1, 1)."""
    return (torch.rand(n, 3, 32, 32, generator=_generator(seed)) * 2 - 1).to(device)


def uniform(seed: int, n: int, low: float, high: float) -> list[float]:
    """``n`` numbers drawn uniformly in [low, high) from ``seed``."""
    return [low + (high - low) * float(v) for v in torch.rand(n, generator=_generator(seed))]


# ----------------------------------------------------------------------------------------- small networks
class NoiseAsImage(nn.Module):
    """N×nz or N×nz×1×1 noise → N×nz×1×1, as the notebook asks every generator to accept."""

    def forward(self, z):
        return z.reshape(len(z), -1, 1, 1)


def tiny_generator(seed: int = 1, device="cpu") -> nn.Module:
    """A DCGAN generator of small width: N×NZ noise → N×3×32×32 in [-1, 1]."""
    torch.manual_seed(seed)  # initialised on the CPU, so every device starts from the same weights
    net = nn.Sequential(
        NoiseAsImage(),
        nn.ConvTranspose2d(NZ, 32, 4, 1, 0, bias=False), nn.BatchNorm2d(32), nn.ReLU(),  # 4×4
        nn.ConvTranspose2d(32, 16, 4, 2, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU(),  # 8×8
        nn.ConvTranspose2d(16, 8, 4, 2, 1, bias=False), nn.BatchNorm2d(8), nn.ReLU(),    # 16×16
        nn.ConvTranspose2d(8, 3, 4, 2, 1), nn.Tanh(),                                     # 32×32
    )
    return net.to(device)


def _conv_body(seed: int) -> list[nn.Module]:
    torch.manual_seed(seed)
    return [
        nn.Conv2d(3, 8, 4, 2, 1), nn.LeakyReLU(0.2),    # 16×16
        nn.Conv2d(8, 16, 4, 2, 1), nn.LeakyReLU(0.2),   # 8×8
        nn.Conv2d(16, 32, 4, 2, 1), nn.LeakyReLU(0.2),  # 4×4
        nn.Conv2d(32, 1, 4, 1, 0), nn.Flatten(),        # N×1
    ]


def tiny_discriminator(seed: int = 0, device="cpu") -> nn.Module:
    """A DCGAN discriminator of small width without BatchNorm: N×3×32×32 → N×1 probabilities."""
    return nn.Sequential(*_conv_body(seed), nn.Sigmoid()).to(device)


def tiny_critic(seed: int = 2, device="cpu") -> nn.Module:
    """The same body without Sigmoid (and without normalisation): N×3×32×32 → N×1 scores."""
    return nn.Sequential(*_conv_body(seed)).to(device)


def noise(n: int = 32, seed: int = 3, device="cpu", nz: int = NZ) -> torch.Tensor:
    return torch.randn(n, nz, generator=torch.Generator().manual_seed(seed)).to(device)


# ------------------------------------------------------------------------------------------- CIFAR-10
CIFAR_PER_CLASS = 26  # 260 real images: enough for every check, read once per process


@functools.lru_cache(maxsize=1)
def _cifar_images() -> torch.Tensor:
    from shared.data import load_cifar10

    # Offline (GAN_COURSE_DATA set) this reads the local copy; otherwise the user cache, as the notebook does.
    data = load_cifar10(train=False, per_class=CIFAR_PER_CLASS, verbose=False)
    # Interleave the classes (the local copy lists them class by class): any first n images mix all ten.
    labels = data.labels
    rank = torch.empty_like(labels)
    for c in labels.unique():
        where = torch.nonzero(labels == c).flatten()
        rank[where] = torch.arange(len(where))
    return data.images[torch.argsort(rank * 10 + labels)]


def cifar_batch(n: int = 256, device="cpu", seed: int | None = None) -> torch.Tensor:
    """``n`` real CIFAR-10 test images in [-1, 1]: the first ``n`` (the ten classes taking turns), or with
    ``seed`` ``n`` of them drawn by that seed."""
    images = _cifar_images()
    if n > len(images):
        raise ValueError(f"cifar_batch holds {len(images)} images, {n} were asked for")
    if seed is not None:
        images = images[torch.randperm(len(images), generator=_generator(seed))]
    return images[:n].clone().to(device)


# ---------------------------------------------------------------------------- the one-step checks' inputs
def step_seeds(seed: int) -> dict[str, int]:
    """The one-step checks' networks, batches and stand-ins, drawn afresh for every grading."""
    return {"D": derived(seed, 0) % 9973, "G": derived(seed, 1) % 7919 + 1, "noise": derived(seed, 2),
            "real": derived(seed, 3), "helpers": derived(seed, 4), "critic": derived(seed, 5),
            "image": derived(seed, 6), "torch": derived(seed, 7)}


TRAINING_HELPERS_SEED = 0  # the short trainings keep fixed stand-ins (their thresholds were set on them)


# ------------------------------------------------------------------------------------------ stand-ins
def dcgan_stand_ins(seed: int) -> dict:
    """Stand-ins for problem 04's losses and 05's instance noise, inside the training steps of problem 06.

    The losses are weighted squared errors on D's outputs (not the BCE of problem 04); the noise is Gaussian
    from a generator of its own (so the judge knows what a step was given without sharing torch's).
    """
    a, b, c = uniform(seed, 3, 0.6, 1.4)
    draws = _generator(seed + 1)

    def discriminator_loss(real_out, fake_out, real_label=1.0):
        return a * ((real_out - real_label) ** 2).mean() + b * (fake_out ** 2).mean()

    def generator_loss(fake_out):
        return c * ((fake_out - 1) ** 2).mean()

    def add_instance_noise(images, std):
        return images + std * torch.randn(images.shape, generator=draws, dtype=images.dtype).to(images.device)

    return dict(discriminator_loss=discriminator_loss, generator_loss=generator_loss,
                add_instance_noise=add_instance_noise)


def wgan_stand_ins(seed: int) -> dict:
    """Stand-ins for problem 09's losses and 10's penalty, inside the WGAN-GP step of problem 11.

    Scaled Wasserstein losses (the weights are not 1) and a one-sided penalty, mean(max(0, ‖∇‖ − 1)²), at
    interpolates whose ε come from a generator of its own: not problem 10's two-sided penalty.
    """
    a, b, c = uniform(seed, 3, 0.7, 1.3)
    draws = _generator(seed + 2)

    def critic_loss(real_scores, fake_scores):
        return b * fake_scores.mean() - a * real_scores.mean()

    def wgan_generator_loss(fake_scores):
        return -c * fake_scores.mean()

    def gradient_penalty(critic, real, fake):
        eps = torch.rand(len(real), *[1] * (real.ndim - 1), generator=draws).to(real.device)
        x_hat = (eps * real + (1 - eps) * fake).requires_grad_(True)
        grads, = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)
        return (torch.relu(grads.flatten(1).norm(2, dim=1) - 1) ** 2).mean()

    return dict(critic_loss=critic_loss, wgan_generator_loss=wgan_generator_loss, gradient_penalty=gradient_penalty)


class StandInGenerator(nn.Module):
    """What problem 07's conditional generator is built on instead of the student's Generator: the same
    interface (N×nz or N×nz×1×1 noise → N×channels×32×32 in [-1, 1]), a different network."""

    def __init__(self, nz=100, ngf=64, batchnorm=True, activation="relu", channels=3):
        super().__init__()
        self.channels = channels
        self.net = nn.Sequential(nn.Linear(nz, channels * 8 * 8), nn.Tanh())

    def forward(self, z):
        x = self.net(z.reshape(len(z), -1)).view(len(z), self.channels, 8, 8)
        return nn.functional.interpolate(x, scale_factor=4, mode="nearest")


class StandInDiscriminator(nn.Module):
    """What problem 07's conditional discriminator is built on instead of the student's Discriminator: the same
    interface (N×channels×32×32 → N×1 in (0, 1)), a different network."""

    def __init__(self, ndf=64, batchnorm=True, activation="leakyrelu", channels=3):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(channels, ndf, 4, 4, 0), nn.ELU(), nn.Flatten(),
                                 nn.Linear(ndf * 8 * 8, 1), nn.Sigmoid())

    def forward(self, x):
        return self.net(x)


def stand_in_activation(name):
    return nn.ELU()


# What problem 07's conditional networks are built on in place of the student's own G and D (problems 02, 03).
DCGAN_MODEL_STAND_INS = dict(Generator=StandInGenerator, Discriminator=StandInDiscriminator,
                             make_activation=stand_in_activation)


class PixelNoiseGenerator(nn.Module):
    """Problem 11's generator: each pixel is tanh(a · z_k + b) for one of the nz noise numbers z_k.

    Its images depend on the noise, so fakes drawn once and reused across the critic updates show (a generator that
    ignored its noise made every batch of fakes the same); elementwise only, so its images are the same on every
    device and under TF32. It insists on noise of size ``nz``, so a step that ignores its ``nz`` argument shows.
    """

    def __init__(self, nz: int, shape=(3, 32, 32), seed: int = 8, device="cpu"):
        super().__init__()
        self.nz = nz
        draws = torch.Generator().manual_seed(seed)
        self.a = nn.Parameter((0.6 * torch.randn(*shape, generator=draws)).to(device))
        self.b = nn.Parameter((0.3 * torch.randn(*shape, generator=draws)).to(device))
        self.recorder = None  # called with the noise of every call (problem 11's probe records it): G.forward(z) too

    def forward(self, z):
        if self.recorder is not None:
            self.recorder(z)
        if z.ndim < 2 or z.shape[1] != self.nz or z[0].numel() != self.nz:
            raise AssertionError(f"wgan_gp_step gave the generator noise of shape {tuple(z.shape)}; expected N×{self.nz} "
                                 f"(or N×{self.nz}×1×1: nz is the step's argument, here {self.nz}). Draw torch.randn(len(real), nz, "
                                 "device=real.device).")
        pick = torch.arange(self.a.numel(), device=z.device) % self.nz
        spread = z.reshape(len(z), self.nz)[:, pick].view(len(z), *self.a.shape)
        return torch.tanh(self.a * spread + self.b)


def exact_wgan_case(seed: int, device="cpu") -> tuple:
    """Problem 11's exact case: a linear critic (gradient w everywhere, so the penalty does not depend on ε) and a
    generator whose images depend on its noise (the judge replays the noise the step drew), with stale gradients
    (a missing zero_grad() shows) and an SGD optimiser each: (critic, G, g_opt, c_opt)."""
    seeds = step_seeds(seed)
    critic = LinearCritic((3, 32, 32), norm=2.0, seed=seeds["critic"], device=device)
    G = PixelNoiseGenerator(nz=NZ, seed=seeds["image"], device=device)
    for net in (critic, G):
        fill_grads(net)
    return critic, G, torch.optim.SGD(G.parameters(), lr=0.1), torch.optim.SGD(critic.parameters(), lr=0.02)

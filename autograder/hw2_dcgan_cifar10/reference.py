"""Reference models, data, losses and steps for the HW2 checks (kept out of ``shared``: students get that).

The step checks run the student's functions on these small deterministic networks, so a student's
own architecture cannot make a correct step look wrong. The discriminator and the critic have no
BatchNorm: a correct step that puts real and fake images through D in one batch gives the same loss.
"""
from __future__ import annotations

import functools

import torch
from torch import nn

from autograder.steps import StepCase, adam, device_of, fill_grads  # noqa: F401 (used by the checks)
from autograder.steps import step_case as core_step_case

NZ = 16  # noise size of the reference generator


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


def make_activation(name):
    return {"relu": nn.ReLU, "leakyrelu": lambda: nn.LeakyReLU(0.2), "tanh": nn.Tanh}[name]()


class Generator(nn.Module):
    """The configurable DCGAN generator of problem 02, for checks of answers built on it (the cGAN)."""

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
    """The configurable DCGAN discriminator of problem 03, for checks of answers built on it (the cGAN)."""

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


# What the cGAN check hands the student's conditional networks in place of the student's own G and D.
DCGAN_MODELS = dict(Generator=Generator, Discriminator=Discriminator, make_activation=make_activation)


def noise(n: int = 32, seed: int = 3, device="cpu", nz: int = NZ) -> torch.Tensor:
    return torch.randn(n, nz, generator=torch.Generator().manual_seed(seed)).to(device)


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


def cifar_batch(n: int = 256, device="cpu") -> torch.Tensor:
    """``n`` real CIFAR-10 test images in [-1, 1], the ten classes taking turns."""
    images = _cifar_images()
    if n > len(images):
        raise ValueError(f"cifar_batch holds {len(images)} images, {n} were asked for")
    return images[:n].clone().to(device)


def step_case(device, trains: str) -> StepCase:
    """A (D, G) pair twice over; the trained network has stale gradients and an Adam optimiser per copy."""
    return core_step_case(device, trains, tiny_discriminator, tiny_generator)


# ----------------------------------------------------------------------------------------- losses
def discriminator_loss(real_out, fake_out, real_label: float = 1.0) -> torch.Tensor:
    bce = nn.functional.binary_cross_entropy
    return bce(real_out, torch.full_like(real_out, real_label)) + bce(fake_out, torch.zeros_like(fake_out))


def generator_loss(fake_out) -> torch.Tensor:
    return nn.functional.binary_cross_entropy(fake_out, torch.ones_like(fake_out))


def add_instance_noise(images, std):
    return images + std * torch.randn_like(images)


def critic_loss(real_scores, fake_scores):
    return fake_scores.mean() - real_scores.mean()


def wgan_generator_loss(fake_scores):
    return -fake_scores.mean()


def gradient_penalty(critic, real, fake):
    eps = torch.rand(len(real), 1, 1, 1, device=real.device)
    x_hat = (eps * real + (1 - eps) * fake).requires_grad_(True)
    grads, = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)
    return ((grads.flatten(1).norm(2, dim=1) - 1) ** 2).mean()


# What the step checks hand the student's steps in place of the student's own helpers (graded elsewhere).
DCGAN_HELPERS = dict(discriminator_loss=discriminator_loss, generator_loss=generator_loss,
                     add_instance_noise=add_instance_noise)
WGAN_HELPERS = dict(critic_loss=critic_loss, wgan_generator_loss=wgan_generator_loss,
                    gradient_penalty=gradient_penalty)


def reference_discriminator_step(D, G, d_optimizer, real, z, real_label: float = 1.0) -> dict:
    d_optimizer.zero_grad()
    real_out = D(real)
    fake_out = D(G(z).detach())
    loss = discriminator_loss(real_out, fake_out, real_label)
    loss.backward()
    d_optimizer.step()
    return {"D": loss.item(), "acc_real": (real_out > 0.5).float().mean().item(),
            "acc_fake": (fake_out < 0.5).float().mean().item(),
            "margin": torch.cat([real_out, fake_out]).sub(0.5).abs().min().item()}


def reference_generator_step(G, D, g_optimizer, z) -> float:
    g_optimizer.zero_grad()
    loss = generator_loss(D(G(z)))
    loss.backward()
    g_optimizer.step()
    return loss.item()


# ----------------------------------------------------------------------- critics with known gradients
class LinearCritic(nn.Module):
    """f(x) = ⟨w, x⟩ per sample: its gradient is w everywhere, so the penalty is (‖w‖ − 1)² exactly."""

    def __init__(self, shape, norm: float, seed: int = 5, device="cpu"):
        super().__init__()
        w = torch.randn(*shape, generator=torch.Generator().manual_seed(seed))
        self.w = nn.Parameter((w * (norm / w.norm())).to(device))

    def forward(self, x):
        return (x * self.w).flatten(1).sum(1, keepdim=True)


class QuadraticCritic(nn.Module):
    """f(x) = ½‖x‖² per sample: its gradient at x is x itself."""

    def __init__(self, device="cpu"):
        super().__init__()
        self.scale = nn.Parameter(torch.ones((), device=device))

    def forward(self, x):
        return 0.5 * self.scale * (x ** 2).flatten(1).sum(1, keepdim=True)


def unit_images(n: int, shape, radius: float, seed: int = 6, device="cpu") -> torch.Tensor:
    """``n`` images of norm ``radius`` each, in random directions."""
    x = torch.randn(n, *shape, generator=torch.Generator().manual_seed(seed))
    return (x * (radius / x.flatten(1).norm(dim=1).view(-1, *[1] * len(shape)))).to(device)


def gradient_norms(critic, real, fake, seed: int = 7) -> torch.Tensor:
    """‖∇ₓ critic(x̂)‖ per sample at random interpolates x̂ = ε·real + (1 − ε)·fake."""
    eps = torch.rand(len(real), 1, 1, 1, generator=torch.Generator().manual_seed(seed)).to(real.device)
    x_hat = (eps * real + (1 - eps) * fake).requires_grad_(True)
    grads, = torch.autograd.grad(critic(x_hat).sum(), x_hat)
    return grads.flatten(1).norm(dim=1)


# ------------------------------------------------------------------------------------------ WGAN-GP
class ConstantGenerator(nn.Module):
    """Draws the same image whatever the noise: with a linear critic the WGAN-GP step is then exact.

    It insists on noise of size ``nz``, so a step that ignores its ``nz`` argument shows.
    """

    def __init__(self, nz: int, shape=(3, 32, 32), seed: int = 8, device="cpu"):
        super().__init__()
        self.nz = nz
        image = 0.3 * torch.randn(*shape, generator=torch.Generator().manual_seed(seed))
        self.image = nn.Parameter(image.to(device))

    def forward(self, z):
        if z.ndim < 2 or z.shape[1] != self.nz or z[0].numel() != self.nz:
            raise AssertionError(f"wgan_gp_step gave the generator noise of shape {tuple(z.shape)}; expected N×{self.nz} "
                                 f"(or N×{self.nz}×1×1: nz is the step's argument, here {self.nz}). Draw torch.randn(len(real), nz, "
                                 "device=real.device).")
        return self.image.unsqueeze(0).expand(len(z), *self.image.shape)


def reference_wgan_gp_step(G, critic, g_optimizer, c_optimizer, real_batches, nz, lambda_gp) -> dict:
    """The WGAN-GP step, for critics whose gradient does not depend on the point (ε is then irrelevant)."""
    for real in real_batches:
        fake = G(torch.randn(len(real), nz, device=real.device)).detach()
        c_optimizer.zero_grad()
        real_scores, fake_scores = critic(real), critic(fake)
        gp = gradient_penalty(critic, real, fake)
        w = real_scores.mean() - fake_scores.mean()
        c_loss = -w + lambda_gp * gp
        c_loss.backward()
        c_optimizer.step()
    g_optimizer.zero_grad()
    g_loss = -critic(G(torch.randn(len(real), nz, device=real.device))).mean()
    g_loss.backward()
    g_optimizer.step()
    return {"C": c_loss.item(), "G": g_loss.item(), "W": w.item(), "GP": gp.item()}

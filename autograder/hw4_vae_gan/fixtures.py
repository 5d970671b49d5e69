"""Inputs of the HW4 checks, built from the judge's seed the same way on both sides (no answers here).

The probes (student's side) and the checks (judge) both call these: small deterministic networks, real digits,
fixed scores and codes, and the *stand-in helpers* a step or a forward pass is run with while it is graded
(instead of the student's own loss, KL or trick, graded in their own problems). The stand-ins are simple,
generic, differentiable functions with the right signature that are deliberately NOT the answers: the judge
runs its reference steps with the same stand-ins, so the comparison stays exact and a wrong helper still costs
its own problem only. Runner-safe: imports only torch and ``shared``.
"""
from __future__ import annotations

import functools

import torch
from torch import nn

LATENT = 4  # latent size of the small VAE
NZ = 16  # code size of the small anomaly model
MNIST_PER_CLASS = 32  # 320 real test digits, the ten classes taking turns


# --------------------------------------------------------------------------------------------- data
@functools.lru_cache(maxsize=1)
def _mnist() -> tuple[torch.Tensor, torch.Tensor]:
    from shared.data import load_mnist

    # Offline (GAN_COURSE_DATA set) this reads the local copy; otherwise the user cache, as the notebook does.
    data = load_mnist(train=False, verbose=False)
    picked = torch.cat([torch.nonzero(data.labels == c).flatten()[:MNIST_PER_CLASS] for c in range(10)])
    images, labels = data.images[picked], data.labels[picked]
    order = torch.arange(len(picked)).view(10, MNIST_PER_CLASS).t().flatten()
    return images[order], labels[order]


def unit_batch(n: int, device="cpu", offset: int = 0) -> torch.Tensor:
    """``n`` real MNIST digits in [0, 1] (the VAE's pixel probabilities), from ``offset`` on."""
    images = _mnist()[0]
    offset = offset % (len(images) - n + 1)
    return ((images[offset:offset + n].clone() + 1) / 2).to(device)


@functools.lru_cache(maxsize=1)
def _padded_test_digits() -> tuple[torch.Tensor, torch.Tensor]:
    from shared.data import load_mnist, pad_to

    data = pad_to(load_mnist(train=False, verbose=False), 32)
    return data.images, data.labels


def one_class_digits(device="cpu") -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(64 zeros to train on, 500 other test digits to score: 100 zeros and 400 others, is_anomaly), 32×32."""
    images, labels = _padded_test_digits()
    zeros, others = images[labels == 0], images[labels != 0]
    scored = torch.cat([zeros[64:164], others[:400]])
    is_anomaly = torch.cat([torch.zeros(100, dtype=torch.bool), torch.ones(400, dtype=torch.bool)])
    return zeros[:64].clone().to(device), scored.to(device), is_anomaly


def randn(*shape: int, seed: int, device="cpu") -> torch.Tensor:
    return torch.randn(*shape, generator=torch.Generator().manual_seed(int(seed) % (2**31 - 1))).to(device)


def sub_seed(seed: int, k: int) -> int:
    """The k-th seed drawn from the grading seed (distinct for distinct k)."""
    return (int(seed) * 7919 + 104729 * (k + 1)) % (2**31 - 1)


def scores(n: int, seed: int, shift: float, scale: float, device="cpu") -> torch.Tensor:
    s = torch.randn(n, 1, generator=torch.Generator().manual_seed(int(seed) % (2**31 - 1))) * scale + shift
    return s.to(device).requires_grad_(True)


# ------------------------------------------------------------------------------------------- inputs
MU = (1.5, -2.0, 0.0, 3.0)  # problem 01
SIGMA = (0.5, 1.0, 2.0, 0.1)
N_SAMPLES = 20_000


def reparameterize_inputs(device="cpu") -> tuple[torch.Tensor, torch.Tensor]:
    mu = torch.tensor(MU, device=device).repeat(N_SAMPLES, 1).requires_grad_(True)
    logvar = torch.log(torch.tensor(SIGMA, device=device) ** 2).repeat(N_SAMPLES, 1).requires_grad_(True)
    return mu, logvar


def kl_codes(seed: int, device="cpu") -> tuple[torch.Tensor, torch.Tensor]:
    """Problem 03: (mu, logvar) of shape (5, 6)."""
    g = torch.Generator().manual_seed(sub_seed(seed, 3))
    mu, logvar = torch.randn(5, 6, generator=g) * 1.5, torch.randn(5, 6, generator=g)
    return mu.to(device).requires_grad_(True), logvar.to(device).requires_grad_(True)


def vae_loss_inputs(seed: int, device="cpu") -> tuple:
    """Problem 04: (logits, x, mu, logvar) for a batch of 6."""
    g = torch.Generator().manual_seed(sub_seed(seed, 4))
    logits = (torch.randn(6, 1, 28, 28, generator=g) * 3).to(device).requires_grad_(True)
    x = unit_batch(6, device, offset=seed % 300)
    mu, logvar = (torch.randn(6, 3, generator=g).to(device).requires_grad_(True) for _ in range(2))
    return logits, x, mu, logvar


def logit_scores(seed: int, device="cpu") -> torch.Tensor:
    """Problem 08: six scores spread from very negative to positive."""
    base = torch.tensor([[-9.0], [-3.0], [-0.5], [0.0], [2.0], [6.0]])
    jitter = (torch.rand(6, 1, generator=torch.Generator().manual_seed(sub_seed(seed, 8))) - 0.5) * 0.4
    return torch.round((base + jitter) * 100) / 100


def anomaly_loss_inputs(seed: int, device="cpu") -> tuple:
    """Problem 10: (x, x_hat, z, z_hat), each requiring grad."""
    def r(*shape, k):
        return randn(*shape, seed=sub_seed(seed, 100 + k), device=device).requires_grad_(True)
    return r(5, 1, 32, 32, k=1), r(5, 1, 32, 32, k=2), r(5, 10, 1, 1, k=3), r(5, 10, 1, 1, k=4)


# ------------------------------------------------------------------------------------- stand-in helpers
def stand_in_reparameterize(mu, logvar):
    """NOT the reparameterisation trick: a fixed, deterministic, differentiable map of (mu, logvar) with the same
    signature, so that a network's forward pass can be graded without the student's (or the reference) trick."""
    wave = torch.cos(torch.arange(mu.numel(), device=mu.device, dtype=mu.dtype) * 1.7).reshape(mu.shape)
    return mu + 0.5 * torch.tanh(logvar) + 0.3 * wave


def stand_in_kl_divergence(mu, logvar):
    """NOT the KL divergence: a generic per-row penalty of shape N with the same signature."""
    return (0.5 * mu.pow(2) + 0.25 * logvar.pow(2) + 0.1 * torch.sin(mu * logvar)).flatten(1).sum(1) + 0.2


def stand_in_vae_loss(seed: int = 0):
    """A stand-in ``vae_loss(logits, x, mu, logvar) -> (loss, reconstruction, kl)``: NOT the negative ELBO, a
    seed-weighted sum of a squared error of the pixel probabilities and a quadratic penalty on the codes."""
    w_rec, w_kl = 1.0 + (seed % 5) / 10, 0.5 + (seed % 7) / 10

    def vae_loss(logits, x, mu, logvar):
        rec = w_rec * (torch.sigmoid(logits) - x).pow(2).flatten(1).sum(1).mean()
        kl = w_kl * (0.5 * mu.pow(2) + 0.25 * logvar.pow(2)).flatten(1).sum(1).mean()
        return rec + kl, rec, kl
    return vae_loss


def stand_in_vae_helpers(seed: int = 0) -> dict:
    return dict(vae_loss=stand_in_vae_loss(seed), kl_divergence=stand_in_kl_divergence,
                reparameterize=stand_in_reparameterize)


def stand_in_anomaly_losses(x, x_hat, z, z_hat):
    """A stand-in ``anomaly_losses -> (l_con, l_enc)``: NOT the answer (a Charbonnier error and a log-squared one)."""
    return (x - x_hat).pow(2).add(0.01).sqrt().mean(), torch.log1p((z - z_hat).pow(2)).mean()


STAND_IN_ANOMALY_HELPERS = dict(anomaly_losses=stand_in_anomaly_losses)


def _g_quadratic(s):
    return (0.3 * s.pow(2) - torch.sin(s)).mean()


def _g_exponential(s):
    return torch.exp(-0.4 * s).mean()


def _g_log(s):
    return torch.log1p(s.pow(2)).mean()


def _g_linear(s):
    return (-2.5 * s).mean()


# Problem 08: generic generator losses (batch means) whose derivatives the judge computes with autograd.
G_LOSSES = {"g_loss(s) = mean(0.3·s² − sin s)": _g_quadratic, "g_loss(s) = mean(exp(−0.4·s))": _g_exponential,
            "g_loss(s) = mean(log(1 + s²))": _g_log, "g_loss(s) = mean(−2.5·s)": _g_linear}


# --------------------------------------------------------------------------------------------- networks
def _seeded(make, seed: int, device):
    torch.manual_seed(seed)  # initialised on the CPU, so every device starts from the same weights
    return make().to(device)


class TinyVAE(nn.Module):
    """784 → 32 → (mu, logvar) of size LATENT → 32 → 784 logits; forward uses the stand-in ``reparameterize``."""

    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Flatten(), nn.Linear(784, 32), nn.ReLU())
        self.to_mu, self.to_logvar = nn.Linear(32, LATENT), nn.Linear(32, LATENT)
        self.decoder = nn.Sequential(nn.Linear(LATENT, 32), nn.ReLU(), nn.Linear(32, 784), nn.Unflatten(1, (1, 28, 28)))

    def forward(self, x):
        h = self.encoder(x)
        mu, logvar = self.to_mu(h), self.to_logvar(h)
        return self.decoder(stand_in_reparameterize(mu, logvar)), mu, logvar


def tiny_vae(seed: int = 0, device="cpu") -> nn.Module:
    return _seeded(TinyVAE, seed, device)


def _encoder() -> nn.Sequential:
    """1×32×32 → NZ×1×1 with four convolutions (no normalisation)."""
    return nn.Sequential(nn.Conv2d(1, 8, 4, 2, 1), nn.LeakyReLU(0.2), nn.Conv2d(8, 16, 4, 2, 1), nn.LeakyReLU(0.2),
                         nn.Conv2d(16, 32, 4, 2, 1), nn.LeakyReLU(0.2), nn.Conv2d(32, NZ, 4, 1, 0))


class TinyEncoderDecoderEncoder(nn.Module):
    def __init__(self, batchnorm: bool = False):
        super().__init__()
        self.encoder, self.encoder2 = _encoder(), _encoder()
        norm = (lambda c: nn.BatchNorm2d(c)) if batchnorm else (lambda c: nn.Identity())
        self.decoder = nn.Sequential(
            nn.ConvTranspose2d(NZ, 32, 4, 1, 0), norm(32), nn.ReLU(), nn.ConvTranspose2d(32, 16, 4, 2, 1), nn.ReLU(),
            nn.ConvTranspose2d(16, 8, 4, 2, 1), nn.ReLU(), nn.ConvTranspose2d(8, 1, 4, 2, 1), nn.Tanh())

    def forward(self, x):
        z = self.encoder(x)
        x_hat = self.decoder(z)
        return z, x_hat, self.encoder2(x_hat)


def tiny_anomaly_model(seed: int = 0, device="cpu", batchnorm: bool = False) -> nn.Module:
    return _seeded(lambda: TinyEncoderDecoderEncoder(batchnorm), seed, device)


def tiny_latent_discriminator(seed: int = 1, device="cpu") -> nn.Module:
    return _seeded(lambda: nn.Sequential(nn.Flatten(), nn.Linear(NZ, 32), nn.LeakyReLU(0.2), nn.Linear(32, 1)),
                   seed, device)


def score_model(seed: int, device="cpu") -> tuple[nn.Module, torch.Tensor]:
    """Problem 10: a model with BatchNorm in training mode whose running statistics differ from a batch's own, and
    the 8 images (zeros and other digits) it scores."""
    model = tiny_anomaly_model(seed=seed % 997, device=device, batchnorm=True).train()
    start = 90 + seed % 10
    images = one_class_digits(device)[1][start:start + 8]
    with torch.no_grad():
        model(images)
    return model, images


def step_seeds(seed: int) -> dict[str, int]:
    """The one-step checks' networks and batches, drawn afresh for every grading."""
    return {"vae": seed % 9973, "x": seed % 280, "model": seed % 7919, "latent_d": seed % 6007 + 1,
            "zeros": seed % 48}

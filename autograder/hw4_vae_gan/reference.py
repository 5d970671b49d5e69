"""Reference functions, small networks and data for the HW4 checks (kept out of ``shared``: students get that).

Step checks run the student's step on these small deterministic networks (no dropout), so a student's own
architecture cannot make a correct step look wrong; the Wasserstein losses are HW2's, imported, not copied.
"""
from __future__ import annotations

import functools

import torch
from torch import nn
from torch.nn import functional as F

from autograder.hw2_dcgan_cifar10.reference import critic_loss, wgan_generator_loss  # noqa: F401 (used by the checks)
from autograder.hw3_acgan_wgan.reference import mnist_batch  # noqa: F401
from autograder.steps import adam, device_of, fill_grads, record_events  # noqa: F401

LATENT = 4  # latent size of the reference VAE
NZ = 16  # code size of the reference anomaly model


# --------------------------------------------------------------------------------------------- VAE
def reparameterize(mu, logvar):
    return mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)


def kl_divergence(mu, logvar):
    return -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp(), dim=1)


def reconstruction(logits, x):
    return F.binary_cross_entropy_with_logits(logits, x, reduction="none").flatten(1).sum(1).mean()


def vae_loss(logits, x, mu, logvar):
    rec, kl = reconstruction(logits, x), kl_divergence(mu, logvar).mean()
    return rec + kl, rec, kl


VAE_HELPERS = dict(vae_loss=vae_loss, kl_divergence=kl_divergence, reparameterize=reparameterize)


class TinyVAE(nn.Module):
    """784 → 32 → (mu, logvar) of size LATENT → 32 → 784 logits; forward samples with the reference trick."""

    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Flatten(), nn.Linear(784, 32), nn.ReLU())
        self.to_mu, self.to_logvar = nn.Linear(32, LATENT), nn.Linear(32, LATENT)
        self.decoder = nn.Sequential(nn.Linear(LATENT, 32), nn.ReLU(), nn.Linear(32, 784), nn.Unflatten(1, (1, 28, 28)))

    def forward(self, x):
        h = self.encoder(x)
        mu, logvar = self.to_mu(h), self.to_logvar(h)
        return self.decoder(reparameterize(mu, logvar)), mu, logvar


def _seeded(make, seed: int, device):
    torch.manual_seed(seed)  # initialised on the CPU, so every device starts from the same weights
    return make().to(device)


def tiny_vae(seed: int = 0, device="cpu") -> nn.Module:
    return _seeded(TinyVAE, seed, device)


def reference_vae_step(vae, optimizer, x) -> dict:
    optimizer.zero_grad()
    logits, mu, logvar = vae(x)
    loss, rec, kl = vae_loss(logits, x, mu, logvar)
    loss.backward()
    optimizer.step()
    return {"loss": loss.item(), "reconstruction": rec.item(), "kl": kl.item()}


def unit_batch(n: int, device) -> torch.Tensor:
    """``n`` real MNIST digits in [0, 1] (the VAE's pixel probabilities)."""
    return (mnist_batch(n, device)[0] + 1) / 2


# ---------------------------------------------------------------------------------------- GAN losses
def _bce(scores, target: float):
    return F.binary_cross_entropy_with_logits(scores, torch.full_like(scores, target))


def minimax_d_loss(real, fake):
    return _bce(real, 1.0) + _bce(fake, 0.0)


def minimax_g_loss(fake):
    return -_bce(fake, 0.0)


def nonsaturating_g_loss(fake):
    return _bce(fake, 1.0)


def lsgan_d_loss(real, fake):
    return 0.5 * (real - 1).pow(2).mean() + 0.5 * fake.pow(2).mean()


def lsgan_g_loss(fake):
    return 0.5 * (fake - 1).pow(2).mean()


def hinge_d_loss(real, fake):
    return F.relu(1 - real).mean() + F.relu(1 + fake).mean()


def hinge_g_loss(fake):
    return -fake.mean()


def scores(n: int, seed: int, shift: float, scale: float, device) -> torch.Tensor:
    s = torch.randn(n, 1, generator=torch.Generator().manual_seed(seed)) * scale + shift
    return s.to(device).requires_grad_(True)


# ------------------------------------------------------------------------------------ anomaly model
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


def anomaly_losses(x, x_hat, z, z_hat):
    return (x - x_hat).abs().mean(), (z - z_hat).pow(2).mean()


def anomaly_score(model, x):
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            z, _, z_hat = model(x)
        return (z - z_hat).flatten(1).norm(dim=1)
    finally:
        model.train(was_training)


ANOMALY_HELPERS = dict(anomaly_losses=anomaly_losses)


def reference_anomaly_step(model, latent_d, g_optimizer, d_optimizer, x, w_adv, w_con, w_enc) -> dict:
    z, x_hat, z_hat = model(x)
    d_optimizer.zero_grad()
    d_loss = _bce(latent_d(torch.randn_like(z)), 1.0) + _bce(latent_d(z.detach()), 0.0)
    d_loss.backward()
    d_optimizer.step()
    g_optimizer.zero_grad()
    l_adv = _bce(latent_d(z), 1.0)
    l_con, l_enc = anomaly_losses(x, x_hat, z, z_hat)
    (w_adv * l_adv + w_con * l_con + w_enc * l_enc).backward()
    g_optimizer.step()
    return {"D": d_loss.item(), "adv": l_adv.item(), "con": l_con.item(), "enc": l_enc.item()}


@functools.lru_cache(maxsize=1)
def _padded_test_digits() -> tuple[torch.Tensor, torch.Tensor]:
    from shared.data import load_mnist, pad_to

    # Offline (GAN_COURSE_DATA set) this reads the local copy; otherwise the user cache, as the notebook does.
    data = pad_to(load_mnist(train=False, verbose=False), 32)
    return data.images, data.labels


def one_class_digits(device) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(64 zeros to train on, 500 other test digits to score: 100 zeros and 400 others, is_anomaly), 32×32."""
    images, labels = _padded_test_digits()
    zeros, others = images[labels == 0], images[labels != 0]
    scored = torch.cat([zeros[64:164], others[:400]])
    is_anomaly = torch.cat([torch.zeros(100, dtype=torch.bool), torch.ones(400, dtype=torch.bool)])
    return zeros[:64].clone().to(device), scored.to(device), is_anomaly


def auroc(is_anomaly, scores) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(is_anomaly.cpu().numpy(), scores.detach().cpu().numpy()))

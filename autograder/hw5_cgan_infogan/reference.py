"""Reference functions, small networks and data for the HW5 checks (kept out of ``shared``: students get that).

Step checks run the student's steps on these small deterministic networks (no BatchNorm, no dropout), so a
student's own architecture cannot make a correct step look wrong. Real digits and noise are HW3's, the BCE
losses on logits HW4's (imported, not copied).
"""
from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from autograder.hw3_acgan_wgan.reference import NZ, mnist_batch, noise  # noqa: F401 (used by the checks)
from autograder.hw4_vae_gan.reference import minimax_d_loss as bce_d_loss  # BCE on logits: real → 1, fake → 0
from autograder.hw4_vae_gan.reference import nonsaturating_g_loss as bce_g_loss
from autograder.steps import adam, device_of, fill_grads, record_events  # noqa: F401

N_CLASSES = 10
N_NOISE, N_CAT, N_CONT = 62, 10, 2  # InfoGAN's codes on MNIST (the paper's)
N_CODE = N_NOISE + N_CAT + N_CONT


def _seeded(make, seed: int, device):
    torch.manual_seed(seed)  # initialised on the CPU, so every device starts from the same weights
    return make().to(device)


# -------------------------------------------------------------------------------------------- CGAN
class TinyCGenerator(nn.Module):
    """(N×NZ noise, N labels) → N×1×28×28 in [-1, 1]: [z, embedding(label)] through two Linear layers."""

    def __init__(self, nz: int = NZ, hidden: int = 32):
        super().__init__()
        self.embed = nn.Embedding(N_CLASSES, N_CLASSES)
        self.net = nn.Sequential(nn.Linear(nz + N_CLASSES, hidden), nn.LeakyReLU(0.2), nn.Linear(hidden, 784),
                                 nn.Tanh(), nn.Unflatten(1, (1, 28, 28)))

    def forward(self, z, labels):
        return self.net(torch.cat([z.reshape(len(z), -1), self.embed(labels)], dim=1))


class TinyCDiscriminator(nn.Module):
    """(N×1×28×28 images, N labels) → N×1 logits: [flattened image, embedding(label)] through two Linear layers."""

    def __init__(self, hidden: int = 32):
        super().__init__()
        self.embed = nn.Embedding(N_CLASSES, N_CLASSES)
        self.net = nn.Sequential(nn.Linear(784 + N_CLASSES, hidden), nn.LeakyReLU(0.2), nn.Linear(hidden, 1))

    def forward(self, x, labels):
        return self.net(torch.cat([x.flatten(1), self.embed(labels)], dim=1))


def tiny_c_generator(seed: int = 1, device="cpu") -> nn.Module:
    return _seeded(TinyCGenerator, seed, device)


def tiny_c_discriminator(seed: int = 0, device="cpu") -> nn.Module:
    return _seeded(TinyCDiscriminator, seed, device)


def reference_cgan_step(G, D, g_optimizer, d_optimizer, real, labels, z, fake_labels) -> dict:
    fake = G(z, fake_labels)
    d_optimizer.zero_grad()
    d_loss = bce_d_loss(D(real, labels), D(fake.detach(), fake_labels))
    d_loss.backward()
    d_optimizer.step()
    g_optimizer.zero_grad()
    g_loss = bce_g_loss(D(fake, fake_labels))
    g_loss.backward()
    g_optimizer.step()
    return {"D": d_loss.item(), "G": g_loss.item()}


# ----------------------------------------------------------------------------------------- InfoGAN
def sample_codes(n: int, device="cpu", n_noise: int = N_NOISE, n_cat: int = N_CAT, n_cont: int = N_CONT):
    return (torch.randn(n, n_noise, device=device), torch.randint(0, n_cat, (n,), device=device),
            torch.rand(n, n_cont, device=device) * 2 - 1)


def info_input(noise, cat, cont, n_cat: int = N_CAT):  # noqa: F811 (the notebook's parameter names, for keyword calls)
    return torch.cat([noise, F.one_hot(cat, n_cat).to(noise.dtype), cont], dim=1)


def info_loss(cat_logits, cont_mean, cat, cont, lambda_cat: float = 1.0, lambda_cont: float = 0.1):
    cat_term, cont_term = F.cross_entropy(cat_logits, cat), F.mse_loss(cont_mean, cont)
    return lambda_cat * cat_term + lambda_cont * cont_term, cat_term, cont_term


INFO_HELPERS = dict(info_input=info_input, info_loss=info_loss, sample_codes=sample_codes)


class TinyInfoGenerator(nn.Module):
    """N×N_CODE codes → N×1×28×28 in [-1, 1]."""

    def __init__(self, n_code: int = N_CODE, hidden: int = 32):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(n_code, hidden), nn.ReLU(), nn.Linear(hidden, 784), nn.Tanh(),
                                 nn.Unflatten(1, (1, 28, 28)))

    def forward(self, code):
        return self.net(code)


class TinyInfoDiscriminator(nn.Module):
    """A shared trunk, a real/fake head and a Q head: N×1×28×28 → (N×1 logits, N×N_CAT logits, N×N_CONT means)."""

    def __init__(self, hidden: int = 32):
        super().__init__()
        self.trunk = nn.Sequential(nn.Flatten(), nn.Linear(784, hidden), nn.LeakyReLU(0.2))
        self.d_head = nn.Linear(hidden, 1)
        self.q_head = nn.Sequential(nn.Linear(hidden, hidden), nn.LeakyReLU(0.2), nn.Linear(hidden, N_CAT + N_CONT))

    def forward(self, x):
        h = self.trunk(x)
        q = self.q_head(h)
        return self.d_head(h), q[:, :N_CAT], q[:, N_CAT:]


def tiny_info_generator(seed: int = 1, device="cpu") -> nn.Module:
    return _seeded(TinyInfoGenerator, seed, device)


def tiny_info_discriminator(seed: int = 0, device="cpu") -> nn.Module:
    return _seeded(TinyInfoDiscriminator, seed, device)


def make_info_optimizers(G, D, lr_d: float = 2e-4, lr_g: float = 1e-3):
    betas = (0.5, 0.999)
    d_opt = torch.optim.Adam([*D.trunk.parameters(), *D.d_head.parameters()], lr=lr_d, betas=betas)
    g_opt = torch.optim.Adam(G.parameters(), lr=lr_g, betas=betas)
    info_opt = torch.optim.Adam([{"params": G.parameters(), "lr": lr_g},
                                 {"params": [*D.trunk.parameters(), *D.q_head.parameters()], "lr": lr_d}], betas=betas)
    return d_opt, g_opt, info_opt


def codes(n: int, seed: int, device="cpu"):
    """Fixed InfoGAN codes (noise, categories, continuous codes), drawn on the CPU from ``seed``."""
    gen = torch.Generator().manual_seed(seed)
    noise_ = torch.randn(n, N_NOISE, generator=gen)
    cat = torch.randint(0, N_CAT, (n,), generator=gen)
    cont = torch.rand(n, N_CONT, generator=gen) * 2 - 1
    return noise_.to(device), cat.to(device), cont.to(device)


def reference_infogan_step(G, D, d_optimizer, g_optimizer, info_optimizer, real, noise_, cat, cont) -> dict:
    code = info_input(noise_, cat, cont)
    fake = G(code)
    d_optimizer.zero_grad()
    d_loss = bce_d_loss(D(real)[0], D(fake.detach())[0])
    d_loss.backward()
    d_optimizer.step()
    g_optimizer.zero_grad()
    g_loss = bce_g_loss(D(fake)[0])
    g_loss.backward()
    g_optimizer.step()
    info_optimizer.zero_grad()
    _, cat_logits, cont_mean = D(G(code))
    info, _, _ = info_loss(cat_logits, cont_mean, cat, cont)
    info.backward()
    info_optimizer.step()
    return {"D": d_loss.item(), "G": g_loss.item(), "info": info.item(),
            "q_acc": (cat_logits.argmax(1) == cat).float().mean().item()}

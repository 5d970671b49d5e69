"""Reference functions for the HW5 checks (kept out of ``shared``: students get that).

Judge only. The small networks, data, codes and stand-in helpers both sides build are in :mod:`.fixtures`
(re-imported here); the BCE losses on logits are the common ones (:mod:`autograder.toolkit.reference_losses`).
"""
from __future__ import annotations

import torch
from torch.nn import functional as F

from autograder.toolkit.reference_losses import minimax_d_loss as bce_d_loss  # BCE on logits: real → 1, fake → 0
from autograder.toolkit.reference_losses import nonsaturating_g_loss as bce_g_loss
from autograder.toolkit.steps import adam, device_of, fill_grads, record_events  # noqa: F401

from .fixtures import (  # noqa: F401 (the networks and data both sides build; used by the checks)
    N_CAT, N_CLASSES, N_CODE, N_CONT, N_NOISE, NZ, RecordingGenerator, TinyCDiscriminator, TinyCGenerator,
    TinyInfoDiscriminator, TinyInfoGenerator, codes, mnist_batch, mnist_pick, noise, stand_in_helpers,
    tiny_c_discriminator, tiny_c_generator, tiny_info_discriminator, tiny_info_generator)


# -------------------------------------------------------------------------------------------- CGAN
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


def make_info_optimizers(G, D, lr_d: float = 2e-4, lr_g: float = 1e-3):
    betas = (0.5, 0.999)
    d_opt = torch.optim.Adam([*D.trunk.parameters(), *D.d_head.parameters()], lr=lr_d, betas=betas)
    g_opt = torch.optim.Adam(G.parameters(), lr=lr_g, betas=betas)
    info_opt = torch.optim.Adam([{"params": G.parameters(), "lr": lr_g},
                                 {"params": [*D.trunk.parameters(), *D.q_head.parameters()], "lr": lr_d}], betas=betas)
    return d_opt, g_opt, info_opt


def reference_infogan_step(G, D, d_optimizer, g_optimizer, info_optimizer, real, noise_, cat, cont,
                           info_input=info_input, info_loss=info_loss) -> dict:
    """The step with the given helpers (the checks pass the stand-ins the student's step ran with)."""
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

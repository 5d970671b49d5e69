"""Reference answers and steps for the HW4 checks (judge only: kept out of ``shared`` and out of the student's reach).

The small networks, batches and stand-in helpers both sides build live in :mod:`.fixtures` (re-exported here);
this module holds what the student's side must never see: the reference losses, the trick, the KL, the score
and the reference steps. The GAN losses other homeworks grade too are in :mod:`autograder.toolkit.reference_losses`.
"""
from __future__ import annotations

import torch
from torch import nn  # noqa: F401
from torch.nn import functional as F

from autograder.toolkit.reference_losses import (  # noqa: F401 (the GAN losses HW4 shares with other homeworks)
    bce_to, critic_loss, minimax_d_loss, nonsaturating_g_loss, wgan_generator_loss)
from autograder.toolkit.steps import adam, device_of, fill_grads, record_events  # noqa: F401

from .fixtures import (LATENT, NZ, TinyEncoderDecoderEncoder, TinyVAE, one_class_digits, scores,  # noqa: F401
                       stand_in_anomaly_losses, stand_in_kl_divergence, stand_in_reparameterize, stand_in_vae_loss,
                       tiny_anomaly_model, tiny_latent_discriminator, tiny_vae, unit_batch)


# --------------------------------------------------------------------------------------------- VAE
def reparameterize(mu, logvar):
    return mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)


def kl_divergence(mu, logvar):
    return -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp(), dim=1)


def reconstruction(logits, x):
    return F.binary_cross_entropy_with_logits(logits, x, reduction="none").flatten(1).sum(1).mean()


def vae_loss(logits, x, mu, logvar, kl=kl_divergence):
    """(loss, reconstruction, kl); ``kl`` is the KL function it calls (a stand-in while problem 04 is graded)."""
    rec, kl_term = reconstruction(logits, x), kl(mu, logvar).mean()
    return rec + kl_term, rec, kl_term


VAE_HELPERS = dict(vae_loss=vae_loss, kl_divergence=kl_divergence, reparameterize=reparameterize)


def reference_vae_step(vae, optimizer, x, loss_fn=vae_loss) -> dict:
    optimizer.zero_grad()
    logits, mu, logvar = vae(x)
    loss, rec, kl = loss_fn(logits, x, mu, logvar)
    loss.backward()
    optimizer.step()
    return {"loss": loss.item(), "reconstruction": rec.item(), "kl": kl.item()}


def negative_elbo(vae, x) -> float:
    """The negative ELBO of a (fixture) VAE on ``x``, computed by the judge."""
    with torch.no_grad():
        logits, mu, logvar = vae(x)
        return vae_loss(logits, x, mu, logvar)[0].item()


# ---------------------------------------------------------------------------------------- GAN losses
def minimax_g_loss(fake):
    return -bce_to(fake, 0.0)


def lsgan_d_loss(real, fake):
    return 0.5 * (real - 1).pow(2).mean() + 0.5 * fake.pow(2).mean()


def lsgan_g_loss(fake):
    return 0.5 * (fake - 1).pow(2).mean()


def hinge_d_loss(real, fake):
    return F.relu(1 - real).mean() + F.relu(1 + fake).mean()


def hinge_g_loss(fake):
    return -fake.mean()


# ------------------------------------------------------------------------------------ anomaly model
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


def reference_anomaly_step(model, latent_d, g_optimizer, d_optimizer, x, w_adv, w_con, w_enc, prior=None,
                           losses=anomaly_losses) -> dict:
    """One reference step; ``prior`` is the prior sample latent_d is shown (drawn with randn_like(z) if None),
    ``losses`` the anomaly_losses it calls (a stand-in while problem 11 is graded)."""
    z, x_hat, z_hat = model(x)
    d_optimizer.zero_grad()
    prior = torch.randn_like(z) if prior is None else prior.reshape(z.shape)
    d_loss = bce_to(latent_d(prior), 1.0) + bce_to(latent_d(z.detach()), 0.0)
    d_loss.backward()
    d_optimizer.step()
    g_optimizer.zero_grad()
    l_adv = bce_to(latent_d(z), 1.0)
    l_con, l_enc = losses(x, x_hat, z, z_hat)
    (w_adv * l_adv + w_con * l_con + w_enc * l_enc).backward()
    g_optimizer.step()
    return {"D": d_loss.item(), "adv": l_adv.item(), "con": l_con.item(), "enc": l_enc.item()}


def auroc(is_anomaly, scores) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(is_anomaly.cpu().numpy(), scores.detach().cpu().numpy()))

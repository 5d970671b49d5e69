import math

import torch

from autograder.toolkit.device_probe import expect_on_meta
from autograder.toolkit.expect import expect, expect_shape
from autograder.hw4_vae_gan import fixtures as fx

N = fx.N_SAMPLES
MU = fx.MU
SIGMA = fx.SIGMA


def test_p01_reparameterize(answer):
    """Reparameterisation trick"""
    mu, logvar = fx.reparameterize_inputs()
    mu, logvar = mu.detach(), logvar.detach()
    z = answer["z"]
    expect_shape(z, (N, len(MU)), f"reparameterize(mu, logvar) for mu and logvar of shape {(N, len(MU))}",
                 "Return z with the shape of mu: one sample per entry.")
    z_device, mu_device = answer["z_device"], answer["mu_device"]
    expect(z_device == mu_device, f"z is on {z_device} but mu is on {mu_device}: draw eps with torch.randn_like(mu).")
    expect_on_meta(answer["meta"], "reparameterize(mu, logvar) for mu and logvar on the meta device",
                   "Draw eps with torch.randn_like(mu): it takes mu's shape, dtype and device.")
    expect(answer["z_requires_grad"] is True, "z has no graph: compute it from mu and logvar with torch operations "
           "(z = mu + sigma * eps), not with .sample(), torch.normal or .detach().")
    z = z.float()
    eps = (z - mu) / torch.tensor(SIGMA)
    means, stds = z.mean(0), z.std(0)
    expect(not torch.allclose(z, mu), "z equals mu: add noise, z = mu + sigma * eps with eps = torch.randn_like(mu).")
    expect(eps[:, 0].unique().numel() > N // 2,
           "The same eps is used for every image: draw a fresh one per entry with torch.randn_like(mu).")
    expect(bool(((means - torch.tensor(MU)).abs() < 0.05 + 0.05 * torch.tensor(SIGMA)).all()),
           f"The samples should be centred on mu {list(MU)}; their means are {[round(v, 3) for v in means.tolist()]}.")
    ratio = stds / torch.tensor(SIGMA)
    if not bool(((ratio - 1).abs() < 0.05).all()):
        as_variance = stds / torch.tensor(SIGMA) ** 2
        hint = ("It matches sigma² = exp(logvar): the standard deviation is exp(logvar / 2) = exp(0.5 * logvar)."
                if bool(((as_variance - 1).abs() < 0.05).all()) else
                "sigma = exp(0.5 * logvar): logvar is log sigma², neither sigma nor sigma².")
        expect(False, f"For standard deviations {list(SIGMA)} the samples' standard deviations are "
               f"{[round(v, 3) for v in stds.tolist()]}. {hint}")
    corr = torch.corrcoef(eps.t())
    off_diagonal = (corr - torch.eye(len(MU))).abs().max().item()
    expect(off_diagonal < 0.05, f"The noise of different latent dimensions is correlated ({off_diagonal:.2f}): draw one "
           "eps per entry (torch.randn_like(mu), shape N×latent_dim), not one per image.")
    again = answer["again"]
    expect(not (isinstance(again, torch.Tensor) and again.shape == z.shape and torch.allclose(again.float(), z)),
           "Two calls return the same z: draw new noise at every call.")

    mu_grad, logvar_grad = answer["mu_grad"], answer["logvar_grad"]
    expect(isinstance(mu_grad, torch.Tensor) and mu_grad.shape == mu.shape
           and torch.allclose(mu_grad, torch.ones_like(mu)), "dz/dmu should be 1 for every entry: z = mu + sigma * eps.")
    expect(isinstance(logvar_grad, torch.Tensor) and logvar_grad.shape == mu.shape and logvar_grad.abs().sum() > 0,
           "No gradient reached logvar: sigma must be computed from logvar inside the graph (no .detach()).")
    expected = 0.5 * (z - mu)
    expect(torch.allclose(logvar_grad, expected, atol=1e-4, rtol=1e-3),
           "dz/dlogvar should be ½·sigma·eps = ½·(z − mu): sigma = exp(0.5 * logvar), eps independent of mu and logvar.")
    expect(math.isfinite(z.abs().max().item()), "z has inf or nan entries.")

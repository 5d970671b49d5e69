import math

import pytest
import torch

from autograder.expect import expect, expect_shape
from autograder.hw4_vae_gan import reference as ref

N = 20_000
MU = (1.5, -2.0, 0.0, 3.0)
SIGMA = (0.5, 1.0, 2.0, 0.1)


@pytest.mark.points(10)
def test_p01_reparameterize(student):
    """Reparameterisation trick"""
    dev = ref.device_of(student)
    mu = torch.tensor(MU, device=dev).repeat(N, 1).requires_grad_(True)
    logvar = torch.log(torch.tensor(SIGMA, device=dev) ** 2).repeat(N, 1).requires_grad_(True)
    torch.manual_seed(0)
    z = student.reparameterize(mu, logvar)
    expect_shape(z, (N, len(MU)), f"reparameterize(mu, logvar) for mu and logvar of shape {(N, len(MU))}",
                 "Return z with the shape of mu: one sample per entry.")
    expect(z.device == mu.device, f"z is on {z.device} but mu is on {mu.device}: draw eps with torch.randn_like(mu).")
    expect(z.requires_grad, "z has no graph: compute it from mu and logvar with torch operations (z = mu + sigma * eps), "
           "not with .sample(), torch.normal or .detach().")
    eps = ((z - mu) / torch.tensor(SIGMA, device=dev)).detach().cpu()
    means, stds = z.detach().mean(0).cpu(), z.detach().std(0).cpu()
    expect(not torch.allclose(z.detach(), mu.detach()),
           "z equals mu: add noise, z = mu + sigma * eps with eps = torch.randn_like(mu).")
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
    torch.manual_seed(1)
    again = student.reparameterize(mu, logvar)
    expect(not torch.allclose(again, z), "Two calls return the same z: draw new noise at every call.")

    z.sum().backward()
    expect(mu.grad is not None and torch.allclose(mu.grad, torch.ones_like(mu)),
           "dz/dmu should be 1 for every entry: z = mu + sigma * eps.")
    expect(logvar.grad is not None and logvar.grad.abs().sum() > 0,
           "No gradient reached logvar: sigma must be computed from logvar inside the graph (no .detach()).")
    expected = 0.5 * (z - mu).detach()
    expect(torch.allclose(logvar.grad, expected, atol=1e-4, rtol=1e-3),
           "dz/dlogvar should be ½·sigma·eps = ½·(z − mu): sigma = exp(0.5 * logvar), eps independent of mu and logvar.")
    expect(math.isfinite(z.detach().abs().max().item()), "z has inf or nan entries.")

import torch

from autograder.pipeline.answer import type_name
from autograder.toolkit.expect import expect, expect_shape
from autograder.hw4_vae_gan import fixtures as fx
from autograder.hw4_vae_gan import reference as ref


def test_p03_kl_divergence(answer):
    """KL term in closed form"""
    mu, logvar = fx.kl_codes(answer.seed)
    expected = ref.kl_divergence(mu, logvar).detach()
    kl = answer["kl"]
    expect(isinstance(kl, torch.Tensor), f"kl_divergence should return a tensor, found {type_name(kl)}.")
    if kl.numel() == 1:
        expect(False, "kl_divergence returned one number for the batch: return one KL per image (shape N), "
               "summing over the latent dimensions only (torch.sum(..., dim=1)).")
    expect_shape(kl, (5,), "kl_divergence(mu, logvar) for mu and logvar of shape (5, 6)",
                 "Sum over the latent dimensions (dim=1), one value per image.")
    kl = kl.float()
    if torch.allclose(kl, expected / 6, rtol=1e-4):
        expect(False, "kl_divergence averages over the latent dimensions: the KL of a diagonal Gaussian is a sum "
               "over them (torch.sum(..., dim=1)).")
    if torch.allclose(kl, -expected, rtol=1e-4):
        expect(False, "kl_divergence has the wrong sign: KL = −½ Σ (1 + logvar − mu² − exp(logvar)) is never negative.")
    expect(torch.allclose(kl, expected, rtol=1e-4, atol=1e-5),
           f"kl_divergence on fixed codes: expected {[round(v, 4) for v in expected.tolist()]}, found "
           f"{[round(v, 4) for v in kl.tolist()]}. KL = −½ Σ_j (1 + logvar_j − mu_j² − exp(logvar_j)); "
           "exp(logvar) is sigma², not sigma.")
    zero = answer["zero"]
    expect(isinstance(zero, torch.Tensor) and zero.shape == (3,) and torch.allclose(zero.float(), torch.zeros(3), atol=1e-6),
           "kl_divergence should be 0 when mu = 0 and logvar = 0 (q equals the prior).")
    expect(answer["reached"] is True,
           "kl_divergence should be computed from mu and logvar with torch operations (no gradient reached them).")

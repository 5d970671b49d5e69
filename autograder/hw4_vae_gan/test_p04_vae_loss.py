import pytest
import torch

from autograder.expect import as_float, expect, expect_close
from autograder.hw4_vae_gan import reference as ref
from autograder.steps import reference_helpers


def _inputs(device):
    g = torch.Generator().manual_seed(4)
    logits = (torch.randn(6, 1, 28, 28, generator=g) * 3).to(device).requires_grad_(True)
    x = ref.unit_batch(6, device)
    mu, logvar = (torch.randn(6, 3, generator=g).to(device).requires_grad_(True) for _ in range(2))
    return logits, x, mu, logvar


@pytest.mark.points(10)
def test_p04_vae_loss(student):
    """Negative ELBO"""
    # vae_loss runs with the reference kl_divergence: a mistake there costs problem 03 only.
    with reference_helpers(student.vae_loss, kl_divergence=ref.kl_divergence):
        _check(student)


def _check(student):
    dev = ref.device_of(student)
    logits, x, mu, logvar = _inputs(dev)
    out = student.vae_loss(logits, x, mu, logvar)
    expect(isinstance(out, tuple) and len(out) == 3, "vae_loss should return the tuple (loss, reconstruction, kl).")
    loss, rec, kl = (as_float(v, f"vae_loss(...)[{i}]") for i, v in enumerate(out))
    e_loss, e_rec, e_kl = (v.item() for v in ref.vae_loss(logits, x, mu, logvar))
    per_pixel = ref.F.binary_cross_entropy_with_logits(logits, x).item()
    if abs(rec - per_pixel) < 1e-4 * max(1, per_pixel):
        expect(False, f"reconstruction is {rec:.4f}, the BCE averaged over pixels: sum it over the 784 pixels of each "
               "image (reduction='none', then .flatten(1).sum(1)), then average over the batch.")
    if abs(rec - e_rec * len(x)) < 1e-3 * e_rec * len(x):
        expect(False, "reconstruction is summed over the batch too: average the per-image sums over the batch (.mean()).")
    probabilities = ref.F.binary_cross_entropy(torch.sigmoid(torch.sigmoid(logits)), x, reduction="none")
    if abs(rec - probabilities.flatten(1).sum(1).mean().item()) < 1e-3 * e_rec:
        expect(False, "reconstruction applies the sigmoid twice: binary_cross_entropy_with_logits takes the logits.")
    expect_close(rec, e_rec, "reconstruction (BCE with logits, summed over pixels, averaged over the batch)", 1e-4,
                 "Use F.binary_cross_entropy_with_logits(logits, x, reduction='none').flatten(1).sum(1).mean(), with "
                 "the images x in [0, 1] as targets.")
    expect_close(kl, e_kl, "kl (the mean over the batch of kl_divergence(mu, logvar))", 1e-4,
                 "kl = kl_divergence(mu, logvar).mean().")
    expect_close(loss, e_loss, "loss (= reconstruction + kl)", 1e-4, "The negative ELBO is the sum of the two terms.")
    out[0].backward()
    expect(all(t.grad is not None for t in (logits, mu, logvar)),
           "loss should reach the logits, mu and logvar (compute it with torch operations, without .item()).")

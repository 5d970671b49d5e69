import torch

from autograder.toolkit.expect import as_float, expect, expect_close
from autograder.hw4_vae_gan import fixtures as fx
from autograder.hw4_vae_gan import reference as ref


def test_p04_vae_loss(answer):
    """Negative ELBO"""
    # vae_loss ran with a stand-in kl_divergence: a mistake in the KL costs problem 03 only.
    logits, x, mu, logvar = fx.vae_loss_inputs(answer.seed)
    expect(answer["triple"] is True, "vae_loss should return the tuple (loss, reconstruction, kl).")
    values = answer["values"]
    expect(isinstance(values, list) and len(values) == 3, "vae_loss should return the tuple (loss, reconstruction, kl).")
    loss, rec, kl = (as_float(v, f"vae_loss(...)[{i}]") for i, v in enumerate(values))
    with torch.no_grad():
        e_loss, e_rec, e_kl = (v.item() for v in ref.vae_loss(logits, x, mu, logvar, kl=fx.stand_in_kl_divergence))
        per_pixel = ref.F.binary_cross_entropy_with_logits(logits, x).item()
        probabilities = ref.F.binary_cross_entropy(torch.sigmoid(torch.sigmoid(logits)), x, reduction="none")
    if abs(rec - per_pixel) < 1e-4 * max(1, per_pixel):
        expect(False, f"reconstruction is {rec:.4f}, the BCE averaged over pixels: sum it over the 784 pixels of each "
               "image (reduction='none', then .flatten(1).sum(1)), then average over the batch.")
    if abs(rec - e_rec * len(x)) < 1e-3 * e_rec * len(x):
        expect(False, "reconstruction is summed over the batch too: average the per-image sums over the batch (.mean()).")
    if abs(rec - probabilities.flatten(1).sum(1).mean().item()) < 1e-3 * e_rec:
        expect(False, "reconstruction applies the sigmoid twice: binary_cross_entropy_with_logits takes the logits.")
    expect_close(rec, e_rec, "reconstruction (BCE with logits, summed over pixels, averaged over the batch)", 1e-4,
                 "Use F.binary_cross_entropy_with_logits(logits, x, reduction='none').flatten(1).sum(1).mean(), with "
                 "the images x in [0, 1] as targets.")
    expect_close(kl, e_kl, "kl (the mean over the batch of kl_divergence(mu, logvar))", 1e-4,
                 "kl = kl_divergence(mu, logvar).mean().")
    expect_close(loss, e_loss, "loss (= reconstruction + kl)", 1e-4, "The negative ELBO is the sum of the two terms.")
    expect(answer["reached"] is True,
           "loss should reach the logits, mu and logvar (compute it with torch operations, without .item()).")

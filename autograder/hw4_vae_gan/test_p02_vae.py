import pytest
import torch
from torch import nn

from autograder.expect import expect, expect_shape
from autograder.hw4_vae_gan import reference as ref
from autograder.steps import reference_helpers


def _pair(value, what: str):
    expect(isinstance(value, tuple) and len(value) == 2, f"{what} should return the tuple (mu, logvar), found "
           f"{type(value).__name__}{' of length ' + str(len(value)) if isinstance(value, tuple) else ''}.")
    return value


@pytest.mark.points(10)
def test_p02_vae(student):
    """VAE model"""
    dev = ref.device_of(student)
    latent, hidden, n = 3, 16, 60
    torch.manual_seed(0)
    vae = student.VAE(latent_dim=latent, hidden=hidden)
    call = f"VAE(latent_dim={latent}, hidden={hidden})"
    expect(isinstance(vae, nn.Module), f"{call} should create an nn.Module, found {type(vae).__name__}.")
    widths = {m.out_features for m in vae.modules() if isinstance(m, nn.Linear) and m.in_features == 784}
    expect(widths == {hidden}, f"{call}: the encoder's first layer should be Linear(784, hidden={hidden}), found "
           f"Linear layers from 784 to {sorted(widths) or 'nothing'}. Use the hidden argument.")
    vae = vae.to(dev)
    x = ref.unit_batch(n, dev)
    mu, logvar = _pair(vae.encode(x), f"{call}.encode(x)")
    expect_shape(mu, (n, latent), f"mu from {call}.encode(x) for {n} images", "One mean per latent dimension.")
    expect_shape(logvar, (n, latent), f"logvar from {call}.encode(x) for {n} images")
    expect(not torch.allclose(mu, logvar), "encode returns the same tensor for mu and logvar: use two separate Linear "
           "heads on the hidden features.")
    expect(logvar.min() < 0 < logvar.max(), f"logvar of {n} digits lies in [{logvar.min().item():.3f}, "
           f"{logvar.max().item():.3f}]: the logvar head needs no activation (log sigma² may be negative).")
    expect(mu.min() < 0 < mu.max(), "mu should be unbounded too: no activation on the mu head.")

    z = torch.randn(n, latent, generator=torch.Generator().manual_seed(1)).to(dev) * 20
    logits = vae.decode(z)
    expect_shape(logits, (n, 1, 28, 28), f"{call}.decode(z) for z of shape {(n, latent)}",
                 "End the decoder with Linear(hidden, 784) and nn.Unflatten(1, (1, 28, 28)).")
    expect(bool(logits.min() < 0) or bool(logits.max() > 1),
           "decode should return logits (any real number), not probabilities: no Sigmoid at the end of the decoder.")

    out = vae(x)
    expect(isinstance(out, tuple) and len(out) == 3, f"{call}(x) should return (logits, mu, logvar).")
    expect_shape(out[0], (n, 1, 28, 28), f"the logits from {call}(x)")
    expect(torch.allclose(out[1], mu, atol=1e-6) and torch.allclose(out[2], logvar, atol=1e-6),
           "forward(x) should return the mu and logvar of encode(x) as its second and third outputs.")
    # forward runs with the reference reparameterize: a mistake there costs problem 01 only.
    with reference_helpers(type(vae).forward, reparameterize=ref.reparameterize):
        torch.manual_seed(2)
        logits_f = vae(x)[0]
        torch.manual_seed(2)
        expected = vae.decode(ref.reparameterize(mu, logvar))
        decoded_mean = vae.decode(mu)
    if torch.allclose(logits_f, decoded_mean, atol=1e-5):
        expect(False, "forward decodes mu itself: decode a sample z = reparameterize(mu, logvar), so that training "
               "sees the noise of q(z|x) (decoding mu is for reconstructions at evaluation time).")
    expect(torch.allclose(logits_f, expected, atol=1e-4),
           "forward(x) should return decode(reparameterize(mu, logvar)) with the mu and logvar of encode(x).")

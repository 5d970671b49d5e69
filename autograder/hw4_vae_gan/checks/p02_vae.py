import torch

from autograder.toolkit.device_probe import expect_on_meta
from autograder.toolkit.expect import expect, expect_shape
from autograder.toolkit.gradient_paths import expect_gradients_everywhere
from autograder.toolkit.open_range import expect_open_range
from autograder.toolkit.structure import expect_structure


def _close(a, b, atol: float) -> bool:
    return (isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor) and a.shape == b.shape
            and torch.allclose(a.float(), b.float(), atol=atol))


def test_p02_vae(answer):
    """VAE model"""
    latent, hidden, n = 3, 16, 60
    call = f"VAE(latent_dim={latent}, hidden={hidden})"
    expect(answer["is_module"] is True, f"{call} should create an nn.Module, found {answer['type']}.")
    widths = answer["widths"]
    expect(isinstance(widths, list) and widths == [hidden], f"{call}: the encoder's first layer should be "
           f"Linear(784, hidden={hidden}), found Linear layers from 784 to {widths or 'nothing'}. Use the hidden argument.")
    encoded = answer["encode"]
    expect(isinstance(encoded, dict) and encoded.get("pair") is True,
           f"{call}.encode(x) should return the tuple (mu, logvar), found {encoded.get('type') if isinstance(encoded, dict) else '?'}"
           f"{' of length ' + str(encoded.get('length')) if isinstance(encoded, dict) and encoded.get('length') is not None else ''}.")
    mu, logvar = answer["mu"], answer["logvar"]
    expect_shape(mu, (n, latent), f"mu from {call}.encode(x) for {n} images", "One mean per latent dimension.")
    expect_shape(logvar, (n, latent), f"logvar from {call}.encode(x) for {n} images")
    mu, logvar = mu.float(), logvar.float()
    expect(not torch.allclose(mu, logvar), "encode returns the same tensor for mu and logvar: use two separate Linear "
           "heads on the hidden features.")
    # Both signs among 60 digits, or (where a fresh network happens to give one sign) a Linear layer's own output.
    expect(logvar.min() < 0 < logvar.max() or answer.get("logvar_from_linear") is True, f"logvar of {n} digits lies in [{logvar.min().item():.3f}, "
           f"{logvar.max().item():.3f}]: the logvar head needs no activation (log sigma² may be negative).")
    expect(mu.min() < 0 < mu.max() or answer.get("mu_from_linear") is True, "mu should be unbounded too: no activation on the mu head.")

    logits = answer["logits"]
    expect_shape(logits, (n, 1, 28, 28), f"{call}.decode(z) for z of shape {(n, latent)}",
                 "End the decoder with Linear(hidden, 784) and nn.Unflatten(1, (1, 28, 28)).")
    expect(bool(logits.min() < 0) or bool(logits.max() > 1),
           "decode should return logits (any real number), not probabilities: no Sigmoid at the end of the decoder.")

    expect(answer["forward_triple"] is True, f"{call}(x) should return (logits, mu, logvar).")
    out = answer["forward"]
    expect(isinstance(out, list) and len(out) == 3, f"{call}(x) should return (logits, mu, logvar).")
    expect_shape(out[0], (n, 1, 28, 28), f"the logits from {call}(x)")
    expect(_close(out[1], mu, 1e-6) and _close(out[2], logvar, 1e-6),
           "forward(x) should return the mu and logvar of encode(x) as its second and third outputs.")
    # forward ran with a stand-in reparameterize (not the trick): a mistake in the trick costs problem 01 only.
    sample, decoded_mean = answer["forward_sample"], answer["decoded_mean"]
    if _close(sample, decoded_mean, 1e-5):
        expect(False, "forward decodes mu itself: decode a sample z = reparameterize(mu, logvar), so that training "
               "sees the noise of q(z|x) (decoding mu is for reconstructions at evaluation time).")
    right = _close(sample, answer["decoded_stand_in"], 1e-4)
    if not right and answer["stand_in_called"] is False:
        # The trick written inline in forward: what forward decoded must be mu + exp(logvar / 2) * eps.
        eps, decoded = answer["eps"], answer["forward_decoded"]
        if isinstance(eps, torch.Tensor) and eps.shape == mu.shape and isinstance(decoded, list) and len(decoded) == 1 \
                and isinstance(decoded[0], (list, tuple)) and len(decoded[0]) == 2:
            z_in, result = decoded[0]
            right = _close(z_in, mu + torch.exp(0.5 * logvar) * eps.float(), 1e-4) and _close(sample, result, 1e-5)
    expect(right, "forward(x) should return decode(reparameterize(mu, logvar)) with the mu and logvar of encode(x).")

    # With large weights, outputs that must be unbounded reach far beyond any squashing activation's range.
    heads = "The mu and logvar heads are plain Linear layers: no activation after them (log sigma² may be any number)."
    expect_open_range(answer["big_mu"], f"mu from {call}.encode(x)", heads)
    expect_open_range(answer["big_logvar"], f"logvar from {call}.encode(x)", heads)
    expect_open_range(answer["big_logits"], f"the logits from {call}.decode(z)",
                      "decode returns logits: the last Linear(hidden, 784) has no activation after it (no Sigmoid, "
                      "Tanh or ReLU); the loss applies the sigmoid itself.")
    expect_on_meta(answer["meta"], f"{call}(x) for x on the meta device",
                   "Make every tensor forward creates on the input's device (torch.randn_like(mu) for the noise).")
    expect_gradients_everywhere(answer["gradients"], f"{call} (the logits of forward(x), decoded from z = "
                                "reparameterize(mu, logvar))")
    # The table's layers: Linear 784→hidden, two heads hidden→latent, Linear latent→hidden and hidden→784; ReLU only.
    weights = 784 * hidden + 2 * hidden * latent + latent * hidden + hidden * 784
    expect_structure(answer["structure"], call, weights=weights, norms=[], activations={"ReLU"})

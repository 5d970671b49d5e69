import pytest
import torch
from torch import nn

from autograder.expect import expect, expect_shape
from autograder.hw4_vae_gan import reference as ref
from autograder.probes import expect_output_activation, trace


def _module(student, name: str, *args):
    call = f"{name}({', '.join(map(str, args))})"
    torch.manual_seed(0)
    made = getattr(student, name)(*args)
    expect(isinstance(made, nn.Module), f"{call} should create an nn.Module, found {type(made).__name__}.")
    return made, call


@pytest.mark.points(10)
def test_p09_anomaly_networks(student):
    """Anomaly-model networks"""
    dev = ref.device_of(student)
    nz, width, n = 12, 8, 6
    x = ref.one_class_digits(dev)[0][:n]

    encoder, call = _module(student, "Encoder", nz, width)
    encoder = encoder.to(dev)
    expect_shape(encoder(x), (n, nz, 1, 1), f"{call} applied to images of shape {tuple(x.shape)}",
                 "Three Conv2d(kernel 4, stride 2, padding 1) take 32 → 16 → 8 → 4, and Conv2d(4·ndf, nz, 4, 1, 0) "
                 "takes 4×4 to 1×1.")
    convs = sum(isinstance(m, nn.Conv2d) for m in encoder.modules())
    expect(convs == 4, f"{call} should have four Conv2d layers (ndf, 2·ndf, 4·ndf, then nz channels), found {convs}.")

    decoder, call = _module(student, "Decoder", nz, width)
    decoder = decoder.to(dev)
    codes = torch.randn(n, nz, 1, 1, generator=torch.Generator().manual_seed(1)).to(dev)
    images = decoder(codes)
    expect_shape(images, (n, 1, 32, 32), f"{call} applied to codes of shape {(n, nz, 1, 1)}",
                 "ConvTranspose2d(nz, 4·ngf, 4, 1, 0) gives 4×4; three ConvTranspose2d(kernel 4, stride 2, padding 1) "
                 "give 8, 16, 32.")
    expect_output_activation(call, trace(decoder, codes), nn.Tanh)

    model, call = _module(student, "EncoderDecoderEncoder", nz, width)
    for name in ("encoder", "decoder", "encoder2"):
        expect(isinstance(getattr(model, name, None), nn.Module), f"{call} should have the attribute self.{name} "
               "(an nn.Module), as the table says.")
    first, second = set(map(id, model.encoder.parameters())), set(map(id, model.encoder2.parameters()))
    expect(model.encoder is not model.encoder2 and not first & second,
           "encoder2 shares weights with encoder: create a second Encoder, with weights of its own.")
    model = model.to(dev).eval()
    with torch.no_grad():
        out = model(x)
        expect(isinstance(out, tuple) and len(out) == 3, f"{call}(x) should return (z, x_hat, z_hat).")
        z, x_hat, z_hat = out
        expect_shape(z, (n, nz, 1, 1), f"z from {call}(x)")
        expect_shape(x_hat, (n, 1, 32, 32), f"x_hat from {call}(x)")
        expect_shape(z_hat, (n, nz, 1, 1), f"z_hat from {call}(x)")
        expect(torch.allclose(z, model.encoder(x), atol=1e-5), "z should be self.encoder(x).")
        expect(torch.allclose(x_hat, model.decoder(z), atol=1e-5), "x_hat should be self.decoder(z).")
        if torch.allclose(z_hat, model.encoder(x_hat), atol=1e-5):
            expect(False, "z_hat is computed with the first encoder: use the second one, self.encoder2(x_hat).")
        if torch.allclose(z_hat, model.encoder2(x), atol=1e-5):
            expect(False, "z_hat encodes the input x: it should encode the reconstruction, self.encoder2(x_hat).")
        expect(torch.allclose(z_hat, model.encoder2(x_hat), atol=1e-5), "z_hat should be self.encoder2(x_hat).")

    latent_d, call = _module(student, "LatentDiscriminator", nz)
    latent_d = latent_d.to(dev)
    expect(not any(isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)) for m in latent_d.modules()),
           f"{call} should be fully connected (Flatten and Linear layers), without convolutions.")
    logits = latent_d(codes)
    expect_shape(logits, (n, 1), f"{call} applied to codes of shape {(n, nz, 1, 1)}", "Flatten the codes first.")
    expect_shape(latent_d(codes.flatten(1)), (n, 1), f"{call} applied to codes of shape {(n, nz)}")
    big = latent_d(codes * 1000)
    expect(bool(big.min() < 0) or bool(big.max() > 1),
           f"{call} should return logits (any real number): no Sigmoid at the end; the loss takes logits.")

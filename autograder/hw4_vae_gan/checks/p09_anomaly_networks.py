import torch

from autograder.toolkit.expect import expect, expect_shape
from autograder.toolkit.gradient_paths import expect_gradients_everywhere
from autograder.toolkit.open_range import expect_open_range
from autograder.toolkit.structure import expect_structure


def _close(a, b, atol: float = 1e-5) -> bool:
    return (isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor) and a.shape == b.shape
            and torch.allclose(a.float(), b.float(), atol=atol))


def _module(answer, key: str, name: str, *args) -> str:
    call = f"{name}({', '.join(map(str, args))})"
    expect(answer[f"{key}_is_module"] is True, f"{call} should create an nn.Module, found {answer[f'{key}_type']}.")
    return call


def test_p09_anomaly_networks(answer):
    """Anomaly-model networks"""
    nz, width, n = 12, 8, 6
    x_shape = (n, 1, 32, 32)

    call = _module(answer, "encoder", "Encoder", nz, width)
    expect_shape(answer["encoded"], (n, nz, 1, 1), f"{call} applied to images of shape {x_shape}",
                 "Three Conv2d(kernel 4, stride 2, padding 1) take 32 → 16 → 8 → 4, and Conv2d(4·ndf, nz, 4, 1, 0) "
                 "takes 4×4 to 1×1.")
    convs = answer["convs"]
    expect(convs == 4, f"{call} should have four Conv2d layers (ndf, 2·ndf, 4·ndf, then nz channels), found {convs}.")
    expect_open_range(answer["big_codes"], f"the codes from {call}",
                      "The last Conv2d(4·ndf, nz, 4, 1, 0) has no activation after it: the codes are unbounded.")

    call = _module(answer, "decoder", "Decoder", nz, width)
    expect_shape(answer["images"], (n, 1, 32, 32), f"{call} applied to codes of shape {(n, nz, 1, 1)}",
                 "ConvTranspose2d(nz, 4·ngf, 4, 1, 0) gives 4×4; three ConvTranspose2d(kernel 4, stride 2, padding 1) "
                 "give 8, 16, 32.")
    if answer["tanh_leaf"] is not True:  # the functional form: the output is tanh of the last computed tensor
        pre, out = answer["pre_output"], answer["traced_out"]
        functional = (isinstance(pre, torch.Tensor) and isinstance(out, torch.Tensor) and pre.numel() == out.numel()
                      and torch.allclose(torch.tanh(pre.float()).reshape(-1), out.float().reshape(-1), atol=1e-6))
        expect(functional, f"{call}: the output should be nn.Tanh() of the last layer's output, and it is not: end the "
               "network with nn.Tanh(). (A clamp to the same range is not the same: it passes no gradient where it "
               "clips.)")

    call = _module(answer, "model", "EncoderDecoderEncoder", nz, width)
    parts = answer["parts"]
    for name in ("encoder", "decoder", "encoder2"):
        expect(isinstance(parts, dict) and parts.get(name) is True, f"{call} should have the attribute self.{name} "
               "(an nn.Module), as the table says.")
    expect(answer["separate_encoders"] is True,
           "encoder2 shares weights with encoder: create a second Encoder, with weights of its own.")
    expect(answer["triple"] is True, f"{call}(x) should return (z, x_hat, z_hat).")
    z, x_hat, z_hat = answer["z"], answer["x_hat"], answer["z_hat"]
    expect_shape(z, (n, nz, 1, 1), f"z from {call}(x)")
    expect_shape(x_hat, (n, 1, 32, 32), f"x_hat from {call}(x)")
    expect_shape(z_hat, (n, nz, 1, 1), f"z_hat from {call}(x)")
    expect(_close(z, answer["encoder_x"]), "z should be self.encoder(x).")
    expect(_close(x_hat, answer["decoder_z"]), "x_hat should be self.decoder(z).")
    if _close(z_hat, answer["encoder_x_hat"]):
        expect(False, "z_hat is computed with the first encoder: use the second one, self.encoder2(x_hat).")
    if _close(z_hat, answer["encoder2_x"]):
        expect(False, "z_hat encodes the input x: it should encode the reconstruction, self.encoder2(x_hat).")
    expect(_close(z_hat, answer["encoder2_x_hat"]), "z_hat should be self.encoder2(x_hat).")

    call = _module(answer, "latent_d", "LatentDiscriminator", nz, 24)
    expect(answer["latent_d_convs"] is False,
           f"{call} should be fully connected (Flatten and Linear layers), without convolutions.")
    expect_shape(answer["logits"], (n, 1), f"{call} applied to codes of shape {(n, nz, 1, 1)}", "Flatten the codes first.")
    expect_shape(answer["logits_flat"], (n, 1), f"{call} applied to codes of shape {(n, nz)}")
    big = answer.tensor("big", f"{call} applied to large codes")
    expect(bool(big.min() < 0) or bool(big.max() > 1),
           f"{call} should return logits (any real number): no Sigmoid at the end; the loss takes logits.")
    expect_open_range(answer["big_logits"], f"the logits from {call}",
                      "End with Linear(hidden, 1) and no activation after it: BCE-with-logits takes raw scores.")
    expect_gradients_everywhere(answer["latent_d_gradients"], call)
    model = f"EncoderDecoderEncoder({nz}, {width})"
    expect_gradients_everywhere(answer["gradients"], model)
    expect_gradients_everywhere(answer["z_hat_gradients"], f"{model} (its z_hat = encoder2(decoder(encoder(x))), "
                                "through which l_enc trains all three networks)")
    # Encoder(12, 8): 4×4 kernels 1→8, 8→16, 16→32, 32→12; Decoder(12, 8) the mirror image; EncoderDecoderEncoder(12,
    # 8) two encoders and a decoder; LatentDiscriminator(12, 24): Linear 12→24, 24→1
    kernels = 1 * 8 * 16 + 8 * 16 * 16 + 16 * 32 * 16 + 32 * 12 * 16
    expect_structure(answer["encoder_structure"], f"Encoder({nz}, {width})", weights=kernels,
                     norms=["BatchNorm2d"] * 2, activations={"LeakyReLU(0.2)"})
    expect_structure(answer["decoder_structure"], f"Decoder({nz}, {width})", weights=kernels,
                     norms=["BatchNorm2d"] * 3, activations={"ReLU", "Tanh"})
    expect_structure(answer["model_structure"], f"EncoderDecoderEncoder({nz}, {width})", weights=3 * kernels,
                     norms=["BatchNorm2d"] * 7, activations={"LeakyReLU(0.2)", "ReLU", "Tanh"})
    expect_structure(answer["latent_d_structure"], call, weights=nz * 24 + 24, norms=[],
                     activations={"LeakyReLU(0.2)"})

import torch
from torch import nn

from autograder.pipeline.answer import type_name
from autograder.toolkit.expect import expect, expect_shape
from autograder.hw2_dcgan_cifar10.judging import rebuild_trace
from autograder.hw2_dcgan_cifar10.probes import GENERATOR_CONFIGS as CONFIGS
from autograder.toolkit.gradient_paths import expect_gradients_everywhere
from autograder.toolkit.probes import expect_batchnorm_after, expect_hidden_activations, expect_output_activation
from autograder.toolkit.structure import expect_structure

NGF = 8


def weights(nz: int, ngf: int = NGF, channels: int = 3) -> int:
    """The weights in the kernels of the table's four transposed convolutions (4×4 kernels; biases not counted)."""
    return 16 * (nz * 4 * ngf + 4 * ngf * 2 * ngf + 2 * ngf * ngf + ngf * channels)


def _size_hint(out) -> str:
    if isinstance(out, torch.Tensor) and out.ndim == 4 and out.shape[-1] != 32:
        return (f"{out.shape[-1]}×{out.shape[-1]} comes from the sizes of the transposed convolutions: "
                "out = (in − 1)·stride − 2·padding + kernel + output_padding. DCGAN uses kernel 4, stride 2, padding 1 "
                "and no output_padding (doubling the size: 4 → 8 → 16 → 32) after a first layer with kernel 4, "
                "stride 1, padding 0 (1 → 4).")
    return "Return N×channels×32×32 images."


def _tensor(value, what: str):
    expect(isinstance(value, torch.Tensor), f"{what} should be a torch.Tensor, found {type_name(value)}.")
    return value


def test_p02_generator(answer):
    """Configurable generator"""
    for i, (nz, batchnorm, activation) in enumerate(CONFIGS):
        call = f"Generator(nz={nz}, ngf=8, batchnorm={batchnorm}, activation={activation!r})"
        expect(answer[f"G{i}_is_module"] is True, f"{call} should create an nn.Module, found {answer[f'G{i}_type']}.")
        if f"G{i}_error" in answer:
            expect(False, f"{call} fails on 4 noise vectors of size {nz} (the error is quoted below). Use the nz "
                   "argument for the input channels of the first layer instead of a fixed 100.", answer[f"G{i}_error"])
        run = rebuild_trace(answer[f"G{i}_trace"])
        out = _tensor(run.out, f"{call} applied to 4 noise vectors of size {nz}")
        expect_shape(out, (4, 3, 32, 32), f"{call} applied to 4 noise vectors of size {nz}", _size_hint(out))
        out4 = _tensor(answer[f"G{i}_out4"], f"{call} applied to noise shaped 4×{nz}×1×1")
        expect_shape(out4, (4, 3, 32, 32), f"{call} applied to noise shaped 4×{nz}×1×1",
                     "Accept both N×nz and N×nz×1×1 noise, e.g. with z.view(len(z), -1, 1, 1).")
        expect(bool((out.abs() <= 1).all()), f"{call}: G(z) should lie in [-1, 1] like the normalised images; found "
               f"{out.min().item():.3f} … {out.max().item():.3f}. End the generator with nn.Tanh().")

        expect_batchnorm_after(call, run, 3 if batchnorm else 0, nn.ConvTranspose2d,
                               "one after each hidden transposed convolution" + ("" if batchnorm else
                                                                                 ", and none when batchnorm=False"))
        expect_hidden_activations(call, run, activation, nn.Tanh, "blocks")
        expect_output_activation(call, run, nn.Tanh)
        # The whole table: the widths 4·ngf → 2·ngf → ngf → channels after nz, three BatchNorm2d or none.
        expect_structure(answer[f"G{i}_structure"], call, weights=weights(nz), norms=["BatchNorm2d"] * 3 * batchnorm,
                         activations={"ReLU" if activation == "relu" else "LeakyReLU(0.2)", "Tanh"})

    nz, batchnorm, activation = CONFIGS[0]
    expect_gradients_everywhere(answer["grads"], f"Generator(nz={nz}, ngf=8, batchnorm={batchnorm}, "
                                f"activation={activation!r})")

    # Large weights saturate a Tanh: the output then fills [-1, 1] without leaving it.
    big = answer.tensor("big", "G(z) with large weights")
    expect(big.numel() > 0 and bool((big.abs() <= 1).all()) and big.min() < -0.5 and big.max() > 0.5,
           f"With large weights G(z) should fill [-1, 1] (a Tanh output), found "
           f"{big.min().item() if big.numel() else float('nan'):.3f} … "
           f"{big.max().item() if big.numel() else float('nan'):.3f}. The last layer must be nn.Tanh().")

    gray = _tensor(answer["gray"], "Generator(nz=100, ngf=8, channels=1) applied to 2 noise vectors")
    expect_shape(gray, (2, 1, 32, 32), "Generator(nz=100, ngf=8, channels=1) applied to 2 noise vectors",
                 "The last layer should output `channels` channels (3 for CIFAR-10, 1 for grey images).")

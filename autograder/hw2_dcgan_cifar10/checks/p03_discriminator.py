import torch
from torch import nn

from autograder.pipeline.answer import type_name
from autograder.toolkit.expect import expect, expect_shape
from autograder.hw2_dcgan_cifar10.judging import rebuild_trace
from autograder.hw2_dcgan_cifar10.probes import DISCRIMINATOR_CONFIGS as CONFIGS
from autograder.toolkit.gradient_paths import expect_gradients_everywhere
from autograder.toolkit.probes import expect_batchnorm_after, expect_hidden_activations, expect_output_activation
from autograder.toolkit.structure import expect_structure

NDF = 8
ACTIVATION = {"relu": "ReLU", "leakyrelu": "LeakyReLU(0.2)", "tanh": "Tanh"}


def weights(ndf: int = NDF, channels: int = 3) -> int:
    """The weights in the kernels of the table's four convolutions (4×4 kernels; biases not counted)."""
    return 16 * (channels * ndf + ndf * 2 * ndf + 2 * ndf * 4 * ndf + 4 * ndf)


def test_p03_discriminator(answer):
    """Configurable discriminator"""
    for i, (batchnorm, activation) in enumerate(CONFIGS):
        call = f"Discriminator(ndf=8, batchnorm={batchnorm}, activation={activation!r})"
        expect(answer[f"D{i}_is_module"] is True, f"{call} should create an nn.Module, found {answer[f'D{i}_type']}.")
        run = rebuild_trace(answer[f"D{i}_trace"])
        leaves, out = run.leaves, run.out
        what = f"{call} applied to 6 images of 3×32×32"
        expect(isinstance(out, torch.Tensor), f"{what} should be a torch.Tensor, found {type_name(out)}.")
        expect_shape(out, (6, 1), what,
                     "Return one probability per image as an N×1 tensor (nn.Flatten() after the last 1×1 convolution).")
        expect(bool(((out > 0) & (out < 1)).all()),
               f"{call}: D(x) should be probabilities in (0, 1), found values from {out.min().item():.3f} to "
               f"{out.max().item():.3f}. End the network with nn.Sigmoid() (nn.BCELoss expects probabilities).")

        bns = expect_batchnorm_after(call, run, 2 if batchnorm else 0, nn.Conv2d,
                                     "after the second and third convolutions; none on the input layer"
                                     + ("" if batchnorm else ", and none at all when batchnorm=False"))
        convs = [i for i, m in enumerate(leaves) if isinstance(m, nn.Conv2d)]
        for k in bns:
            expect(not convs or k != convs[0] + 1,
                   f"{call}: the first convolution (the input layer) should not be followed by BatchNorm "
                   "(the DCGAN convention): put BatchNorm after the second and third convolutions.")
        expect_hidden_activations(call, run, activation, nn.Sigmoid, "convolutions")
        expect_output_activation(call, run, nn.Sigmoid)
        # The whole table: the widths ndf → 2·ndf → 4·ndf → 1, two BatchNorm2d or none.
        expect_structure(answer[f"D{i}_structure"], call, weights=weights(), norms=["BatchNorm2d"] * 2 * batchnorm,
                         activations={ACTIVATION[activation], "Sigmoid"})
    batchnorm, activation = CONFIGS[0]
    expect_gradients_everywhere(answer["grads"], f"Discriminator(ndf=8, batchnorm={batchnorm}, "
                                f"activation={activation!r})")

    # Large weights push the last pre-activation far from 0: only a Sigmoid keeps the output in [0, 1].
    big = answer.tensor("big", "D(x) with large weights")
    expect(big.numel() > 0 and bool(((big >= 0) & (big <= 1)).all()),
           f"With large weights D's output left [0, 1] (found "
           f"{big.min().item() if big.numel() else float('nan'):.2f} … "
           f"{big.max().item() if big.numel() else float('nan'):.2f}): the last layer must be nn.Sigmoid().")

    four = answer["four"]
    what = "Discriminator(ndf=8, channels=4) applied to 2 images of 4×32×32"
    expect(isinstance(four, torch.Tensor), f"{what} should be a torch.Tensor, found {type_name(four)}.")
    expect_shape(four, (2, 1), what,
                 "The first convolution should take `channels` input channels (the conditional discriminator uses 4).")

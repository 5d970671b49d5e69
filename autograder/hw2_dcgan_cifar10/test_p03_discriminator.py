import pytest
import torch
from torch import nn

from autograder.expect import expect, expect_shape
from autograder.probes import (expect_batchnorm_after, expect_hidden_activations, expect_output_activation, trace,
                               with_large_weights)
from autograder.hw2_dcgan_cifar10 import reference as ref

CONFIGS = [  # (batchnorm, activation)
    (True, "leakyrelu"),
    (False, "leakyrelu"),
    (True, "tanh"),
    (False, "relu"),
]


@pytest.mark.points(15)
def test_p03_discriminator(student):
    """Configurable discriminator"""
    dev = ref.device_of(student)
    for batchnorm, activation in CONFIGS:
        call = f"Discriminator(ndf=8, batchnorm={batchnorm}, activation={activation!r})"
        torch.manual_seed(0)
        D = student.Discriminator(ndf=8, batchnorm=batchnorm, activation=activation)
        expect(isinstance(D, nn.Module), f"{call} should create an nn.Module, found {type(D).__name__}.")
        D = D.to(dev)
        x = torch.randn(6, 3, 32, 32, device=dev)
        run = trace(D, x)
        leaves, out = run.leaves, run.out
        expect_shape(out, (6, 1), f"{call} applied to 6 images of 3×32×32",
                     "Return one probability per image as an N×1 tensor (nn.Flatten() after the last 1×1 convolution).")
        expect(bool(((out > 0) & (out < 1)).all()),
               f"{call}: D(x) should be probabilities in (0, 1), found values from {out.min().item():.3f} to "
               f"{out.max().item():.3f}. End the network with nn.Sigmoid() (nn.BCELoss expects probabilities).")

        bns = expect_batchnorm_after(call, run, 2 if batchnorm else 0, nn.Conv2d,
                                     "after the second and third convolutions; none on the input layer"
                                     + ("" if batchnorm else ", and none at all when batchnorm=False"))
        convs = [i for i, m in enumerate(leaves) if isinstance(m, nn.Conv2d)]
        for i in bns:
            expect(not convs or i != convs[0] + 1,
                   f"{call}: the first convolution (the input layer) should not be followed by BatchNorm "
                   "(the DCGAN convention): put BatchNorm after the second and third convolutions.")
        expect_hidden_activations(call, run, activation, nn.Sigmoid, "convolutions")
        expect_output_activation(call, run, nn.Sigmoid)

    # Large weights push the last pre-activation far from 0: only a Sigmoid keeps the output in [0, 1].
    torch.manual_seed(1)
    D = student.Discriminator(ndf=8, batchnorm=False).to(dev)
    big = with_large_weights(D, torch.randn(6, 3, 32, 32, device=dev) * 3, 25)
    expect(bool(((big >= 0) & (big <= 1)).all()),
           f"With large weights D's output left [0, 1] (found {big.min().item():.2f} … {big.max().item():.2f}): "
           "the last layer must be nn.Sigmoid().")

    D = student.Discriminator(ndf=8, channels=4).to(dev).eval()
    with torch.no_grad():
        four = D(torch.randn(2, 4, 32, 32, device=dev))
    expect_shape(four, (2, 1), "Discriminator(ndf=8, channels=4) applied to 2 images of 4×32×32",
                 "The first convolution should take `channels` input channels (the conditional discriminator uses 4).")

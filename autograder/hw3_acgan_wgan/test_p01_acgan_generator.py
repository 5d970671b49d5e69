import pytest
import torch
from torch import nn

from autograder.conditioning import expect_embedding, expect_uses_labels
from autograder.expect import expect, expect_shape
from autograder.hw3_acgan_wgan import reference as ref
from autograder.probes import expect_output_activation, trace


@pytest.mark.points(10)
def test_p01_acgan_generator(student):
    """ACGAN generator"""
    dev = ref.device_of(student)
    nz, n = 20, 6
    torch.manual_seed(0)
    G = student.ACGenerator(nz=nz, n_classes=10, ngf=8)
    call = f"ACGenerator(nz={nz}, n_classes=10, ngf=8)"
    expect(isinstance(G, nn.Module), f"{call} should create an nn.Module, found {type(G).__name__}.")
    expect_embedding(G, "ACGenerator")
    G = G.to(dev)
    z, z2 = torch.randn(n, nz, device=dev), torch.randn(n, nz, device=dev)
    labels = torch.arange(n, device=dev)
    out = G(z, labels)
    expect_shape(out, (n, 1, 28, 28), f"{call} applied to {n} noise vectors of size {nz} and {n} labels",
                 "7×7 from the Linear layer, then two ConvTranspose2d(kernel 4, stride 2, padding 1): 14×14, 28×28.")
    expect_shape(G(z.view(n, nz, 1, 1), labels), (n, 1, 28, 28), f"{call} applied to noise of shape N×{nz}×1×1",
                 "Flatten the noise first: z.reshape(len(z), -1).")
    expect(bool((out.abs() <= 1).all()), "ACGenerator's images should lie in [-1, 1] (end with a Tanh).")
    expect_output_activation(call, trace(G, z, labels), nn.Tanh)
    expect_uses_labels(G, z, z2, labels, "ACGenerator", "images", "noise", 1e-6,
                       "Concatenate the label embedding with z (torch.cat([z, embedding(labels)], dim=1)) and feed "
                       "the result to the network.")
    G5 = student.ACGenerator(nz=nz, n_classes=5, ngf=8).to(dev)
    expect_shape(G5(z[:5], torch.arange(5, device=dev)), (5, 1, 28, 28), f"ACGenerator(nz={nz}, n_classes=5, ngf=8) "
                 "applied to 5 noise vectors and the labels 0–4", "Use the n_classes argument for the embedding.")

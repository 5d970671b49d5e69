import pytest
import torch
from torch import nn

from autograder.conditioning import expect_embedding, expect_uses_labels
from autograder.expect import expect, expect_shape
from autograder.hw5_cgan_infogan import reference as ref
from autograder.probes import expect_output_activation, trace


@pytest.mark.points(10)
def test_p01_cgenerator(student):
    """Conditional generator"""
    dev = ref.device_of(student)
    nz, n = 20, 6
    torch.manual_seed(0)
    G = student.CGenerator(nz=nz, n_classes=10, hidden=16)
    call = f"CGenerator(nz={nz}, n_classes=10, hidden=16)"
    expect(isinstance(G, nn.Module), f"{call} should create an nn.Module, found {type(G).__name__}.")
    expect_embedding(G, "CGenerator")
    G = G.to(dev)
    z, z2 = torch.randn(n, nz, device=dev), torch.randn(n, nz, device=dev)
    labels = torch.arange(n, device=dev)
    out = G(z, labels)
    expect_shape(out, (n, 1, 28, 28), f"{call} applied to {n} noise vectors of size {nz} and {n} labels",
                 "The last Linear layer gives 784 numbers per image: reshape them to N×1×28×28.")
    expect_shape(G(z.view(n, nz, 1, 1), labels), (n, 1, 28, 28), f"{call} applied to noise of shape N×{nz}×1×1",
                 "Flatten the noise first: z.reshape(len(z), -1).")
    expect(bool((out.abs() <= 1).all()), "CGenerator's images should lie in [-1, 1] (end with a Tanh).")
    expect_output_activation(call, trace(G, z, labels), nn.Tanh)
    widths = sorted({m.out_features for m in G.modules() if isinstance(m, nn.Linear)})
    expect(widths == [16, 32, 784], f"With hidden=16 the Linear layers should have 16, 32 and 784 outputs, found "
           f"{widths}: use the hidden argument (hidden, then 2·hidden).")
    expect_uses_labels(G, z, z2, labels, "CGenerator", "images", "noise", 1e-6,
                       "Concatenate the label embedding with z (torch.cat([z, embed(labels)], dim=1)) and feed the "
                       "result to the network.")
    G5 = student.CGenerator(nz=nz, n_classes=5, hidden=16).to(dev)
    expect_shape(G5(z[:5], torch.arange(5, device=dev)), (5, 1, 28, 28), f"CGenerator(nz={nz}, n_classes=5, hidden=16) "
                 "applied to 5 noise vectors and the labels 0–4", "Use the n_classes argument for the embedding.")

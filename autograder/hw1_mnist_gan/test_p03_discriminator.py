import pytest
import torch
from torch import nn

from autograder.expect import expect, expect_shape
from autograder.probes import with_large_weights
from autograder.steps import device_of


@pytest.mark.points(15)
def test_p03_discriminator(student):
    """Discriminator"""
    torch.manual_seed(0)
    dev = device_of(student)
    D = student.Discriminator()
    expect(isinstance(D, nn.Module), f"Discriminator() should create an nn.Module, found {type(D).__name__}.")
    D = D.to(dev)
    n_params = sum(p.numel() for p in D.parameters())
    expect(1_000 <= n_params <= 20_000_000, f"Discriminator has {n_params} parameters; expected between 1e3 and 2e7.")
    x = torch.randn(6, 1, 28, 28, device=dev, requires_grad=True)
    out = D(x)
    expect_shape(out, (6, 1), "D(x) for a batch of 6 images of 1×28×28",
                 "Return one probability per image as an N×1 tensor.")
    expect(bool(((out > 0) & (out < 1)).all()),
           f"D(x) should be probabilities in (0, 1), found values from {out.min().item():.3f} to "
           f"{out.max().item():.3f}. End the network with nn.Sigmoid() (nn.BCELoss expects probabilities).")
    out.sum().backward()
    expect(x.grad is not None and x.grad.abs().sum() > 0,
           "No gradient reaches D's input: the generator could not learn through this discriminator.")
    # Large weights push the last pre-activation far from 0: only a Sigmoid keeps the output in (0, 1).
    D.eval()
    big = with_large_weights(D, torch.randn(6, 1, 28, 28, device=dev) * 3, 25)
    expect(bool(((big >= 0) & (big <= 1)).all()),
           f"With large weights D's output left [0, 1] (found {big.min().item():.2f} … {big.max().item():.2f}): "
           "the last layer must be a Sigmoid.")
    D.train()
    one = student.Discriminator().to(dev).eval()(torch.randn(1, 1, 28, 28, device=dev))
    expect_shape(one, (1, 1), "D(x) for a single image (in eval mode)")

import pytest
import torch
from torch import nn

from autograder.expect import expect, expect_shape
from autograder.hw2_dcgan_cifar10 import reference as ref


@pytest.mark.points(5)
def test_p08_critic(student):
    """WGAN critic"""
    dev = ref.device_of(student)
    torch.manual_seed(0)
    C = student.Critic(ndf=8)
    expect(isinstance(C, nn.Module), f"Critic(ndf=8) should create an nn.Module, found {type(C).__name__}.")
    sigmoids = [type(m).__name__ for m in C.modules() if isinstance(m, (nn.Sigmoid, nn.Softmax))]
    expect(not sigmoids, f"The critic contains {', '.join(sigmoids)}: its score must be unbounded (a Wasserstein "
           "critic is not a classifier). Remove the final Sigmoid.")
    norms = [type(m).__name__ for m in C.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    expect(not norms, f"The critic contains {', '.join(norms)}: BatchNorm mixes the images of a batch, but the "
           "gradient penalty is defined per image. Use no normalisation, or nn.LayerNorm / nn.InstanceNorm2d.")
    C = C.to(dev)
    x = torch.randn(8, 3, 32, 32, device=dev)
    out = C(x)
    expect_shape(out, (8, 1), "Critic(ndf=8) applied to 8 images of 3×32×32", "Return one score per image as N×1.")
    with torch.no_grad():
        alone = C(x[:1])
    expect(torch.allclose(alone, out[:1].detach(), rtol=1e-3, atol=1e-3),
           f"The score of an image depends on the other images of the batch ({alone.item():.5f} alone, "
           f"{out[0].item():.5f} in a batch of 8): the critic must score each image on its own (no BatchNorm, "
           "nothing computed across the batch).")
    # Large weights make an unbounded score large: a Sigmoid (or Tanh) would keep it inside (0, 1) (or (-1, 1)).
    with torch.no_grad():
        for p in C.parameters():
            if p.ndim > 1:
                p.mul_(10)
        big = C(x * 3)
    spread = (big.max() - big.min()).item()
    expect(spread > 5,
           f"With large weights the critic's scores stay between {big.min().item():.3f} and {big.max().item():.3f}: "
           "they look squashed by a final Sigmoid or Tanh. The last layer should be the linear 1×1 convolution "
           "(or Linear) without any activation.")
    single = student.Critic(ndf=8).to(dev)(torch.randn(1, 3, 32, 32, device=dev))
    expect_shape(single, (1, 1), "Critic(ndf=8) applied to a single image")

import pytest
import torch
from torch import nn

from autograder.expect import expect


def _stats(tensor: torch.Tensor) -> tuple[float, float]:
    t = tensor.detach().float()
    return t.mean().item(), t.std().item()


@pytest.mark.points(5)
def test_p01_weights_init(student):
    """DCGAN weight initialisation"""
    torch.manual_seed(0)
    # Large layers, so the sample mean and std of their weights are close to the distribution's; small fan-in, so
    # PyTorch's default initialisation (std 0.048 here) is far from the target.
    net = nn.Sequential(nn.Conv2d(16, 256, 3), nn.BatchNorm2d(4096), nn.ConvTranspose2d(256, 16, 3), nn.ReLU())
    conv, bn, convT = net[0], net[1], net[2]
    with torch.no_grad():  # start far from the target, so a layer the function skips shows
        bn.weight.fill_(0.5)
        bn.bias.fill_(0.5)
    net.apply(student.weights_init)

    for name, layer in (("nn.Conv2d", conv), ("nn.ConvTranspose2d", convT)):
        mean, std = _stats(layer.weight)
        expect(abs(mean) < 0.002 and abs(std - 0.02) < 0.002,
               f"After model.apply(weights_init) the weights of an {name} layer should be drawn from N(0, 0.02²): "
               f"mean 0, std 0.02. Found mean {mean:.4f}, std {std:.4f}. "
               + ("Also initialise nn.ConvTranspose2d (the generator's layers), e.g. "
                  "isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)). " if name == "nn.ConvTranspose2d" else "")
               + "Use nn.init.normal_(m.weight, 0.0, 0.02): the second number is the standard deviation.")
    mean, std = _stats(bn.weight)
    expect(abs(mean - 1) < 0.005 and abs(std - 0.02) < 0.003,
           f"The weights (γ) of an nn.BatchNorm2d layer should be drawn from N(1, 0.02²): mean 1, std 0.02. Found "
           f"mean {mean:.4f}, std {std:.4f}. Use nn.init.normal_(m.weight, 1.0, 0.02) for isinstance(m, nn.BatchNorm2d).")
    expect(bool((bn.bias == 0).all()),
           f"The bias (β) of an nn.BatchNorm2d layer should be 0, found values from {bn.bias.min().item():.3f} to "
           f"{bn.bias.max().item():.3f}. Use nn.init.zeros_(m.bias).")

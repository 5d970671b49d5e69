"""Critics whose input gradients are known in closed form, and images of a chosen norm: what the gradient-penalty
checks of HW2 and HW3 (WGAN-GP) are built on. Student side and judge side alike (no answers here)."""
from __future__ import annotations

import torch
from torch import nn


class LinearCritic(nn.Module):
    """f(x) = ⟨w, x⟩ per sample: its gradient is w everywhere, so the penalty is (‖w‖ − 1)² exactly."""

    def __init__(self, shape, norm: float, seed: int = 5, device="cpu"):
        super().__init__()
        w = torch.randn(*shape, generator=torch.Generator().manual_seed(seed))
        self.w = nn.Parameter((w * (norm / w.norm())).to(device))

    def forward(self, x):
        return (x * self.w).flatten(1).sum(1, keepdim=True)


class QuadraticCritic(nn.Module):
    """f(x) = ½‖x‖² per sample: its gradient at x is x itself."""

    def __init__(self, device="cpu"):
        super().__init__()
        self.scale = nn.Parameter(torch.ones((), device=device))

    def forward(self, x):
        return 0.5 * self.scale * (x ** 2).flatten(1).sum(1, keepdim=True)


def unit_images(n: int, shape, radius: float, seed: int = 6, device="cpu") -> torch.Tensor:
    """``n`` images of norm ``radius`` each, in random directions."""
    x = torch.randn(n, *shape, generator=torch.Generator().manual_seed(seed))
    return (x * (radius / x.flatten(1).norm(dim=1).view(-1, *[1] * len(shape)))).to(device)

"""Reference models, data and steps for the HW1 checks (kept out of ``shared``: students get that).

The step checks run the student's step functions on these small deterministic networks, so a
student's own architecture (dropout, say) cannot make a correct step look wrong.
"""
from __future__ import annotations

import torch
from torch import nn

from autograder.steps import StepCase, adam, device_of, fill_grads  # noqa: F401 (used by the checks)
from autograder.steps import step_case as core_step_case

Z_DIM = 16


def tiny_discriminator(seed: int = 0, device="cpu") -> nn.Module:
    torch.manual_seed(seed)  # initialised on the CPU, so every device starts from the same weights
    net = nn.Sequential(nn.Flatten(), nn.Linear(784, 32), nn.LeakyReLU(0.2), nn.Linear(32, 1), nn.Sigmoid())
    return net.to(device)


def tiny_generator(seed: int = 1, batchnorm: bool = False, device="cpu") -> nn.Module:
    torch.manual_seed(seed)
    layers = [nn.Linear(Z_DIM, 64)]
    if batchnorm:
        layers.append(nn.BatchNorm1d(64))
    layers += [nn.ReLU(), nn.Linear(64, 784), nn.Tanh(), nn.Unflatten(1, (1, 28, 28))]
    return nn.Sequential(*layers).to(device)


def real_batch(n: int = 32, device="cpu") -> torch.Tensor:
    """Real digits from scikit-learn (8×8, upsampled to 28×28, in [-1, 1]): no download needed."""
    from sklearn.datasets import load_digits

    digits = torch.tensor(load_digits().images[:n], dtype=torch.float32) / 16.0
    images = nn.functional.interpolate(digits.unsqueeze(1), size=(28, 28), mode="bilinear", align_corners=False)
    return (images * 2 - 1).to(device)


def noise(n: int = 32, seed: int = 3, device="cpu") -> torch.Tensor:
    return torch.randn(n, Z_DIM, generator=torch.Generator().manual_seed(seed)).to(device)


def reference_discriminator_step(D, G, d_optimizer, real, z) -> float:
    bce = nn.BCELoss()
    d_optimizer.zero_grad()
    real_out = D(real)
    fake_out = D(G(z).detach())
    loss = bce(real_out, torch.ones_like(real_out)) + bce(fake_out, torch.zeros_like(fake_out))
    loss.backward()
    d_optimizer.step()
    return loss.item()


def reference_generator_step(G, D, g_optimizer, z) -> float:
    bce = nn.BCELoss()
    g_optimizer.zero_grad()
    out = D(G(z))
    loss = bce(out, torch.ones_like(out))
    loss.backward()
    g_optimizer.step()
    return loss.item()


def step_case(device, trains: str) -> StepCase:
    """A (D, G) pair twice over; the trained network has stale gradients and an Adam optimiser per copy."""
    return core_step_case(device, trains, tiny_discriminator, tiny_generator)

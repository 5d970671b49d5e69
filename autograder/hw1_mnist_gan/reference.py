"""Reference models, data and steps for the HW1 checks (kept out of ``shared``: students get that).

The step checks run the student's step functions on these small deterministic networks, so a
student's own architecture (dropout, say) cannot make a correct step look wrong.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass

import torch
from torch import nn

from autograder.expect import expect, same_parameters

Z_DIM = 16


def device_of(student) -> torch.device:
    """The notebook's ``device`` (so checks run where the student's code expects its tensors), else CPU.

    A student who writes ``torch.ones(n, 1, device=device)`` inside a step is right; on a GPU grading
    machine the check must then hand that step tensors on the GPU too.
    """
    device = student._namespace.get("device") if hasattr(student, "_namespace") else None
    try:
        return torch.device(device) if device is not None else torch.device("cpu")
    except (TypeError, RuntimeError):
        return torch.device("cpu")


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


def adam(module: nn.Module, lr: float = 1e-3) -> torch.optim.Adam:
    return torch.optim.Adam(module.parameters(), lr=lr, betas=(0.5, 0.999))


def fill_grads(module: nn.Module, value: float = 0.37) -> None:
    """Stale gradients, as left by an earlier step: a step that forgets zero_grad() is thrown off."""
    for p in module.parameters():
        p.grad = torch.full_like(p, value)


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


def clone(module: nn.Module) -> nn.Module:
    return copy.deepcopy(module)


@dataclass
class StepCase:
    """Two identical copies of a (D, G) pair: one for the student's step, one for the reference step.

    The network being trained has an Adam optimiser in each copy and stale gradients (so a missing
    ``zero_grad()`` shows); ``frozen`` keeps the other network's starting weights for comparison,
    ``start`` the trained network's.
    """

    D: nn.Module
    G: nn.Module
    D_ref: nn.Module
    G_ref: nn.Module
    opt: torch.optim.Optimizer
    opt_ref: torch.optim.Optimizer
    frozen: nn.Module
    start: nn.Module

    def expect_discriminator_step_effects(self) -> None:
        """After the student's D step on this case: G untouched, D moved exactly as the reference step moved it."""
        expect(all(p.grad is None or p.grad.abs().sum() == 0 for p in self.G.parameters()),
               "The discriminator step put gradients into G: detach the fake images (G(noise).detach()) so D's "
               "loss does not backpropagate into the generator.")
        expect(same_parameters(self.G, self.frozen), "The discriminator step changed G's weights; it must only update D.")
        expect(not same_parameters(self.D, self.start), "D's weights did not change: call d_optimizer.step().")
        expect(same_parameters(self.D, self.D_ref, atol=1e-5),
               "D's weights after one step differ from a correct step. Call d_optimizer.zero_grad() before backward() "
               "(stale gradients are left in .grad from the last step), and backpropagate the sum of both losses once.")

    def expect_generator_step_effects(self) -> None:
        """After the student's G step on this case: D untouched, G moved exactly as the reference step moved it."""
        expect(same_parameters(self.D, self.frozen), "The generator step changed D's weights; it must only update G.")
        expect(not same_parameters(self.G, self.start),
               "G's weights did not change: do not detach G's output here, and call g_optimizer.step().")
        expect(same_parameters(self.G, self.G_ref, atol=1e-5),
               "G's weights after one step differ from a correct step. Call g_optimizer.zero_grad() before backward().")


def step_case(device, trains: str, make_discriminator=None, make_generator=None) -> StepCase:
    """``trains`` is "D" or "G"; the factories (``f(device=...)``) default to this homework's tiny nets."""
    D = (make_discriminator or tiny_discriminator)(device=device)
    G = (make_generator or tiny_generator)(device=device)
    D_ref, G_ref = clone(D), clone(G)
    trained, trained_ref, other = (D, D_ref, G) if trains == "D" else (G, G_ref, D)
    start = clone(trained)
    fill_grads(trained)
    fill_grads(trained_ref)
    return StepCase(D, G, D_ref, G_ref, adam(trained), adam(trained_ref), clone(other), start)

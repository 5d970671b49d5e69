"""Reference steps for the HW1 checks (judge only: kept out of ``shared`` and out of the student's reach).

The step checks run the student's step functions on small deterministic networks (:mod:`.fixtures`), so a
student's own architecture (dropout, say) cannot make a correct step look wrong; the judge runs these steps
on the same networks and compares.
"""
from __future__ import annotations

import torch
from torch import nn

from autograder.toolkit.steps import StepCase, adam, device_of, fill_grads  # noqa: F401 (used by the checks)
from autograder.toolkit.steps import step_case as core_step_case

from .fixtures import Z_DIM, noise, real_batch, step_seeds, tiny_discriminator, tiny_generator  # noqa: F401


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


def d_loss(D, G, real, z) -> float:
    """D's BCE loss on (real, G(z)), computed by the judge."""
    with torch.no_grad():
        real_out, fake_out = D(real), D(G(z))
        bce = nn.BCELoss()
        return (bce(real_out, torch.ones_like(real_out)) + bce(fake_out, torch.zeros_like(fake_out))).item()


def step_case(device, trains: str, seed: int | None = None) -> StepCase:
    """A (D, G) pair twice over; the trained network has stale gradients and an Adam optimiser per copy."""
    if seed is None:
        return core_step_case(device, trains, tiny_discriminator, tiny_generator)
    seeds = step_seeds(seed)
    return core_step_case(device, trains, lambda device: tiny_discriminator(seeds["D"], device=device),
                          lambda device: tiny_generator(seeds["G"], device=device))

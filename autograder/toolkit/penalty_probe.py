"""The student's side of the gradient-penalty check (WGAN-GP, HW2 and HW3): ``gradient_penalty`` called on critics
whose input gradients are known in closed form (:mod:`autograder.toolkit.critics`). Records values only; the verdict is
:mod:`autograder.toolkit.penalty_check`'s."""
from __future__ import annotations

import torch

from autograder.toolkit.critics import LinearCritic, QuadraticCritic, unit_images
from autograder.pipeline.runner import plain

SHAPE = (3, 4, 4)  # small images: the penalty's formula does not depend on the size


def seed_for(seed: int, k: int) -> int:
    """The ``k``-th input's seed, derived from the grading's."""
    return (int(seed) * 7919 + 104_729 * (k + 1)) % (2**31 - 1)


def linear_critic(seed: int, device="cpu") -> LinearCritic:
    """f(x) = <w, x> with ‖w‖ = 3: the penalty is (3 − 1)² = 4 at every image."""
    return LinearCritic(SHAPE, norm=3.0, seed=seed_for(seed, 1), device=device)


def _penalty(student, critic, real, fake, out, key):
    real_before, fake_before = real.clone(), fake.clone()
    value = student.gradient_penalty(critic, real, fake)
    out[key] = plain(value)
    out[f"{key}_unchanged"] = bool(torch.equal(real, real_before) and torch.equal(fake, fake_before))
    out[f"{key}_requires_grad"] = bool(isinstance(value, torch.Tensor) and value.requires_grad)
    return value


def record_gradient_penalty(student, seed: int, device, out: dict, prefix: str = "") -> None:
    """What ``student.gradient_penalty`` gives for (a) a linear critic, (b) the gradient that penalty sends to the
    critic's weights, (c) f(x) = ½‖x‖² with real images of norm 2 and fake images 0. ``prefix`` keeps the keys
    apart inside a larger probe."""
    torch.manual_seed(seed_for(seed, 0))
    critic = linear_critic(seed, device)
    gen = lambda k: torch.randn(16, *SHAPE, generator=torch.Generator().manual_seed(seed_for(seed, k))).to(device)
    gp = _penalty(student, critic, gen(2), gen(3), out, prefix + "linear")
    if not (isinstance(gp, torch.Tensor) and gp.numel() == 1 and gp.requires_grad):
        return
    gp.backward()
    out[prefix + "linear_w_grad"] = plain(critic.w.grad)
    critic = QuadraticCritic(device=device)
    real = unit_images(4096, SHAPE, radius=2.0, seed=seed_for(seed, 4), device=device)
    torch.manual_seed(seed_for(seed, 5))
    _penalty(student, critic, real, torch.zeros_like(real), out, prefix + "quadratic")

"""Inputs of the HW5 checks, built from the judge's seed the same way on both sides (no answers here).

The probes (student's side) and the checks (judge) both call these: small deterministic networks (no BatchNorm,
no dropout, so a student's own architecture cannot make a correct step look wrong), real MNIST digits, noise and
codes, the optimisers the step checks hand to a student's step, and *stand-in* helpers for the InfoGAN step.
The stand-ins replace the notebook's ``info_input`` and ``info_loss`` while the step runs, so a mistake there is
charged to problems 05 and 07 only; they are generic differentiable functions with the notebook's signatures,
not the answers (the judge runs its own reference step with the same stand-ins).
"""
from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from autograder.toolkit.mnist_digits import MNIST_PER_CLASS, balanced_digits, mnist_batch  # noqa: F401 (the checks read them)
from autograder.toolkit.sizes import labels_short_of_top, probe_size

NZ = 16  # noise size of the small CGAN generator
N_CLASSES = 10
N_NOISE, N_CAT, N_CONT = 62, 10, 2  # InfoGAN's codes on MNIST (the paper's)
N_CODE = N_NOISE + N_CAT + N_CONT


def _seeded(make, seed: int, device):
    torch.manual_seed(seed)  # initialised on the CPU, so every device starts from the same weights
    return make().to(device)


def generator(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(int(seed))


def noise(n: int = 32, seed: int = 3, device="cpu", nz: int = NZ) -> torch.Tensor:
    return torch.randn(n, nz, generator=generator(seed)).to(device)


def randn(*shape: int, seed: int, device="cpu") -> torch.Tensor:
    return torch.randn(*shape, generator=generator(seed)).to(device)


def mnist_pick(n: int, seed: int, device="cpu") -> tuple[torch.Tensor, torch.Tensor]:
    """``n`` distinct real digits (and labels) drawn from the 320 by ``seed``."""
    images, labels = balanced_digits()
    index = torch.randperm(len(images), generator=generator(seed))[:n]
    return images[index].clone().to(device), labels[index].clone().to(device)


# -------------------------------------------------------------------------------------------- CGAN
class TinyCGenerator(nn.Module):
    """(N×NZ noise, N labels) → N×1×28×28 in [-1, 1]: [z, embedding(label)] through two Linear layers."""

    def __init__(self, nz: int = NZ, hidden: int = 32):
        super().__init__()
        self.embed = nn.Embedding(N_CLASSES, N_CLASSES)
        self.net = nn.Sequential(nn.Linear(nz + N_CLASSES, hidden), nn.LeakyReLU(0.2), nn.Linear(hidden, 784),
                                 nn.Tanh(), nn.Unflatten(1, (1, 28, 28)))

    def forward(self, z, labels):
        return self.net(torch.cat([z.reshape(len(z), -1), self.embed(labels)], dim=1))


class TinyCDiscriminator(nn.Module):
    """(N×1×28×28 images, N labels) → N×1 logits: [flattened image, embedding(label)] through two Linear layers."""

    def __init__(self, hidden: int = 32):
        super().__init__()
        self.embed = nn.Embedding(N_CLASSES, N_CLASSES)
        self.net = nn.Sequential(nn.Linear(784 + N_CLASSES, hidden), nn.LeakyReLU(0.2), nn.Linear(hidden, 1))

    def forward(self, x, labels):
        return self.net(torch.cat([x.flatten(1), self.embed(labels)], dim=1))


def tiny_c_generator(seed: int = 1, device="cpu") -> nn.Module:
    return _seeded(TinyCGenerator, seed, device)


def tiny_c_discriminator(seed: int = 0, device="cpu") -> nn.Module:
    return _seeded(TinyCDiscriminator, seed, device)


def cgan_seeds(seed: int) -> dict[str, int]:
    return {"G": seed % 7919 + 1, "D": seed % 9973, "real": seed % 6007 + 2, "z": seed % 5003 + 3,
            "fake_labels": seed % 4001 + 4}


def cgan_step_inputs(seed: int, device="cpu") -> tuple:
    """(real, labels, z, fake_labels) of the one-step check: the fakes are asked for other labels than the reals'."""
    seeds = cgan_seeds(seed)
    real, labels = mnist_pick(40, seeds["real"], device="cpu")
    z = noise(40, seed=seeds["z"])
    fake_labels = (labels + torch.randint(1, N_CLASSES, (40,), generator=generator(seeds["fake_labels"]))) % N_CLASSES
    return real.to(device), labels.to(device), z.to(device), fake_labels.to(device)


def cgan_step_case(seed: int, device="cpu") -> tuple:
    """(G, D, g_optimizer, d_optimizer): both networks with stale gradients and an Adam optimiser each."""
    from autograder.toolkit.steps import stale_with_adam

    seeds = cgan_seeds(seed)
    return stale_with_adam(tiny_c_generator(seeds["G"], device=device), tiny_c_discriminator(seeds["D"], device=device))


CGAN_TRAINING_STEPS = 30


def cgan_training_nets(device="cpu") -> tuple:
    """(G, D) of the short training (fixed seeds), and their Adam optimisers."""
    from autograder.toolkit.steps import adam

    G, D = tiny_c_generator(device=device), tiny_c_discriminator(device=device)
    return G, D, adam(G, 2e-3), adam(D, 2e-3)


def cgan_training_inputs(step: int, device="cpu") -> tuple:
    """(z, fake_labels) of one step of the short training; the real batch is ``mnist_batch(64)``."""
    z = noise(64, seed=100 + step)
    fake_labels = torch.randint(0, N_CLASSES, (64,), generator=generator(step))
    return z.to(device), fake_labels.to(device)


# ---------------------------------------------------------------------------------- conditional samples
class RecordingGenerator(nn.Module):
    """Draws its label as the image's value (plus a trace of the noise); records its mode and what it was given."""

    def __init__(self, nz: int):
        super().__init__()
        self.nz, self.calls = nz, []
        self.scale = nn.Parameter(torch.ones(()))

    def forward(self, z, labels):
        if labels.device.type != "meta":  # on the meta device (a check of where the tensors are made) no values
            self.calls.append((self.training, torch.is_grad_enabled(), tuple(z.shape), labels.detach().cpu()))
        image = (labels.float() / 10 * self.scale).view(-1, 1, 1, 1) + 1e-3 * z.reshape(len(z), -1)[:, :1, None, None]
        return image.expand(-1, 1, 28, 28)


# ----------------------------------------------------------------------------------------- InfoGAN
class TinyInfoGenerator(nn.Module):
    """N×N_CODE codes → N×1×28×28 in [-1, 1]."""

    def __init__(self, n_code: int = N_CODE, hidden: int = 32):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(n_code, hidden), nn.ReLU(), nn.Linear(hidden, 784), nn.Tanh(),
                                 nn.Unflatten(1, (1, 28, 28)))

    def forward(self, code):
        return self.net(code)


class TinyInfoDiscriminator(nn.Module):
    """A shared trunk, a real/fake head and a Q head: N×1×28×28 → (N×1 logits, N×N_CAT logits, N×N_CONT means)."""

    def __init__(self, hidden: int = 32):
        super().__init__()
        self.trunk = nn.Sequential(nn.Flatten(), nn.Linear(784, hidden), nn.LeakyReLU(0.2))
        self.d_head = nn.Linear(hidden, 1)
        self.q_head = nn.Sequential(nn.Linear(hidden, hidden), nn.LeakyReLU(0.2), nn.Linear(hidden, N_CAT + N_CONT))

    def forward(self, x):
        h = self.trunk(x)
        q = self.q_head(h)
        return self.d_head(h), q[:, :N_CAT], q[:, N_CAT:]


def tiny_info_generator(seed: int = 1, device="cpu") -> nn.Module:
    return _seeded(TinyInfoGenerator, seed, device)


def tiny_info_discriminator(seed: int = 0, device="cpu") -> nn.Module:
    return _seeded(TinyInfoDiscriminator, seed, device)


def codes(n: int, seed: int, device="cpu"):
    """Fixed InfoGAN codes (noise, categories, continuous codes), drawn on the CPU from ``seed``."""
    gen = generator(seed)
    noise_ = torch.randn(n, N_NOISE, generator=gen)
    cat = torch.randint(0, N_CAT, (n,), generator=gen)
    cont = torch.rand(n, N_CONT, generator=gen) * 2 - 1
    return noise_.to(device), cat.to(device), cont.to(device)


def stand_in_helpers(seed: int) -> dict:
    """Stand-ins for the notebook's ``info_input``, ``info_loss`` and ``sample_codes`` while its step is checked.

    Same signatures, differentiable, weighted by ``seed``; deliberately *not* the answers (another column order,
    a hinge loss and a smooth L1 loss): the judge runs its reference step with these very functions.
    """
    a, b, c = (0.75 + 0.5 * torch.rand(3, generator=generator(seed % 100_003 + 17))).tolist()

    def info_input(noise, cat, cont, n_cat=N_CAT):
        return torch.cat([cont * a, F.one_hot(cat, n_cat).to(noise.dtype), noise], dim=1)

    def info_loss(cat_logits, cont_mean, cat, cont, lambda_cat=1.0, lambda_cont=0.1):
        cat_term = b * F.multi_margin_loss(cat_logits, cat)
        cont_term = c * F.smooth_l1_loss(cont_mean, cont, beta=0.5)
        return lambda_cat * cat_term + lambda_cont * cont_term, cat_term, cont_term

    def sample_codes(n, device, n_noise=N_NOISE, n_cat=N_CAT, n_cont=N_CONT):
        return (torch.rand(n, n_noise, device=device) * 2 - 1, torch.randint(0, n_cat, (n,), device=device),
                0.5 * torch.randn(n, n_cont, device=device))

    return {"info_input": info_input, "info_loss": info_loss, "sample_codes": sample_codes}


def infogan_seeds(seed: int) -> dict[str, int]:
    return {"G": seed % 7919 + 1, "D": seed % 9973, "real": seed % 6007 + 2, "codes": seed % 5003 + 5,
            "helpers": seed}


def infogan_step_case(seed: int, device="cpu") -> tuple:
    """(G, D, d_optimizer, g_optimizer, info_optimizer) for the one-step check: stale gradients everywhere.

    The optimisers are this check's own (problem 08 grades the student's): D's over the trunk and d_head, G's over
    G, the information optimiser over G and q_head (so the step's zero_grad() calls show in what they leave).
    """
    from autograder.toolkit.steps import fill_grads

    seeds = infogan_seeds(seed)
    G, D = tiny_info_generator(seeds["G"], device=device), tiny_info_discriminator(seeds["D"], device=device)
    fill_grads(G)
    fill_grads(D)
    betas = (0.5, 0.999)
    d_opt = torch.optim.Adam([*D.trunk.parameters(), *D.d_head.parameters()], lr=2e-3, betas=betas)
    g_opt = torch.optim.Adam(G.parameters(), lr=5e-3, betas=betas)
    info_opt = torch.optim.Adam([{"params": G.parameters(), "lr": 5e-3},
                                 {"params": D.q_head.parameters(), "lr": 2e-3}], betas=betas)
    return G, D, d_opt, g_opt, info_opt


def infogan_step_inputs(seed: int, device="cpu") -> tuple:
    """(real, noise, cat, cont) of the one-step check."""
    seeds = infogan_seeds(seed)
    real, _ = mnist_pick(40, seeds["real"])
    return (real.to(device), *codes(40, seed=seeds["codes"], device=device))


INFOGAN_TRAINING_STEPS = 60
TRAINING_HELPERS_SEED = 0  # the short training's stand-ins (fixed, like its networks and codes)


def infogan_training_case(device="cpu") -> tuple:
    """(G, D, d_optimizer, g_optimizer, info_optimizer) of the short training, fixed seeds, whole-network optimisers."""
    torch.manual_seed(0)
    G, D = tiny_info_generator(device=device), tiny_info_discriminator(device=device)
    betas = (0.5, 0.999)
    d_opt = torch.optim.Adam(D.parameters(), lr=5e-3, betas=betas)
    g_opt = torch.optim.Adam(G.parameters(), lr=5e-3, betas=betas)
    info_opt = torch.optim.Adam([*G.parameters(), *D.parameters()], lr=5e-3, betas=betas)
    return G, D, d_opt, g_opt, info_opt


def info_loss_inputs(seed: int, device="cpu") -> tuple:
    """(cat_logits, cont_mean, cat, cont) for the information loss: the first two are leaves that need a gradient."""
    gen = generator(seed)
    cat_logits = (2 * torch.randn(8, N_CAT, generator=gen)).to(device).requires_grad_()
    cont_mean = torch.randn(8, N_CONT, generator=gen).to(device).requires_grad_()
    cat = torch.randint(0, N_CAT, (8,), generator=gen).to(device)
    cont = (torch.rand(8, N_CONT, generator=gen) * 2 - 1).to(device)
    return cat_logits, cont_mean, cat, cont


def perfect_q_case(device="cpu") -> tuple:
    """(cat_logits, cont_mean, cat, cont) where Q reads every code exactly."""
    perfect = torch.full((4, N_CAT), -30.0, device=device)
    cat = torch.tensor([1, 2, 3, 4], device=device)
    perfect[torch.arange(4), cat] = 30.0
    codes_ = torch.zeros(4, N_CONT, device=device)
    return perfect, codes_, cat, codes_


def info_input_case(seed: int, device="cpu") -> tuple:
    """(noise N×6, cat, cont N×2) for info_input(..., n_cat=4).

    The categories stay below n_cat − 1 = 3, so a one-hot vector sized by the largest category (``F.one_hot(cat)``
    without ``n_cat``) has fewer columns than ``n_cat`` whatever the seed."""
    gen = generator(seed)
    noise_ = torch.randn(5, 6, generator=gen)
    cat = labels_short_of_top(probe_size("n_cat"), 5, gen)
    cont = torch.rand(5, 2, generator=gen) * 2 - 1
    return noise_.to(device), cat.to(device), cont.to(device)


def info_learning_rates(seed: int) -> tuple[float, float]:
    """(lr_d, lr_g) asked of make_info_optimizers: never equal, never the defaults (2e-4, 1e-3)."""
    return (3 + seed % 6) * 1e-4, (2 + seed % 7) * 1.1e-4

"""Inputs of the HW3 checks, built from the judge's seed the same way on both sides (no answers here).

The probes (student's side) and the checks (judge) both call these, so the judge knows exactly what the
student's code was given without receiving it: small deterministic networks (no BatchNorm, no dropout), real
MNIST digits, critics with a known gradient, the networks of the per-class accuracy check, and the *stand-in
helpers* a step check swaps into the student's step in place of the student's own losses, penalty and
clipping (graded by their own problems). The stand-ins are deliberately not the answers: simple, generic,
differentiable functions with the same signatures (least-squares losses, per-sample weighted means, a smooth
penalty without second derivatives, a soft clip), so nothing here gives an answer away, and the judge runs
its reference steps with the very same stand-ins.
"""
from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from autograder.toolkit.call_log import FINGERPRINT, fingerprints  # noqa: F401 (the checks read them here)
from autograder.toolkit.critics import LinearCritic
from autograder.toolkit.mnist_digits import MNIST_PER_CLASS, mnist_batch  # noqa: F401 (the checks read them here)

NZ = 16  # noise size of the reference generators
N_CLASSES = 10
IMAGE = (1, 28, 28)


def randn(*shape: int, seed: int, device="cpu") -> torch.Tensor:
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed)).to(device)


def rand(*shape: int, seed: int, device="cpu") -> torch.Tensor:
    return torch.rand(*shape, generator=torch.Generator().manual_seed(seed)).to(device)


def step_seeds(seed: int) -> dict[str, int]:
    """The one-step checks' networks and batches, drawn afresh for every grading."""
    return {"D": seed % 9973, "G": seed % 7919 + 1, "noise": seed % 6007 + 2, "offset": seed % 97,
            "labels": seed % 5003 + 3, "critic": seed % 4001 + 5, "image": seed % 3001 + 8, "helpers": seed % 8191}


# ------------------------------------------------------------------------------------- small networks
def _features() -> nn.Sequential:
    """1×28×28 → 16·7·7 features: two strided convolutions with LeakyReLU (no normalisation)."""
    return nn.Sequential(nn.Conv2d(1, 8, 4, 2, 1), nn.LeakyReLU(0.2),   # 14×14
                         nn.Conv2d(8, 16, 4, 2, 1), nn.LeakyReLU(0.2),  # 7×7
                         nn.Flatten())


def _decoder(n_in: int) -> nn.Sequential:
    """n_in numbers → 1×28×28 in [-1, 1]: a Linear layer to 16×7×7, then two transposed convolutions."""
    return nn.Sequential(nn.Linear(n_in, 16 * 7 * 7), nn.ReLU(), nn.Unflatten(1, (16, 7, 7)),
                         nn.ConvTranspose2d(16, 8, 4, 2, 1), nn.ReLU(),  # 14×14
                         nn.ConvTranspose2d(8, 1, 4, 2, 1), nn.Tanh())   # 28×28


class TinyACDiscriminator(nn.Module):
    """N×1×28×28 → (N×1 source logits, N×10 class logits), one shared trunk."""

    def __init__(self):
        super().__init__()
        self.features = _features()
        self.source = nn.Linear(16 * 49, 1)
        self.classes = nn.Linear(16 * 49, N_CLASSES)

    def forward(self, x):
        h = self.features(x)
        return self.source(h), self.classes(h)


class TinyACGenerator(nn.Module):
    """(N×NZ noise, N labels) → N×1×28×28 in [-1, 1]; the label enters through an embedding."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(N_CLASSES, NZ)
        self.net = _decoder(2 * NZ)

    def forward(self, z, labels):
        return self.net(torch.cat([z.reshape(len(z), -1), self.embed(labels)], dim=1))


class TinyGenerator(nn.Module):
    """N×NZ (or N×NZ×1×1) noise → N×1×28×28 in [-1, 1]."""

    def __init__(self):
        super().__init__()
        self.net = _decoder(NZ)

    def forward(self, z):
        return self.net(z.reshape(len(z), -1))


class WatchedACGenerator(TinyACGenerator):
    """:class:`TinyACGenerator` that records the noise (as N×nz) and the labels of every call, so a step that draws
    its own noise or labels instead of using the given ones shows."""

    def __init__(self):
        super().__init__()
        self.asked = []

    def forward(self, z, labels):
        self.asked.append((z.detach().reshape(len(z), -1).cpu().clone(), labels.detach().cpu().clone()))
        return super().forward(z, labels)


def _seeded(make, seed: int, device):
    torch.manual_seed(seed)  # initialised on the CPU, so every device starts from the same weights
    return make().to(device)


def tiny_ac_discriminator(seed: int = 0, device="cpu") -> nn.Module:
    return _seeded(TinyACDiscriminator, seed, device)


def tiny_ac_generator(seed: int = 1, device="cpu") -> nn.Module:
    return _seeded(TinyACGenerator, seed, device)


def tiny_generator(seed: int = 1, device="cpu") -> nn.Module:
    return _seeded(TinyGenerator, seed, device)


def tiny_critic(seed: int = 2, device="cpu") -> nn.Module:
    return _seeded(lambda: nn.Sequential(_features(), nn.Linear(16 * 49, 1)), seed, device)


def noise(n: int = 32, seed: int = 3, device="cpu", nz: int = NZ) -> torch.Tensor:
    return torch.randn(n, nz, generator=torch.Generator().manual_seed(seed)).to(device)


# ------------------------------------------------------------------- the ACGAN losses' inputs (p03)
def acgan_loss_inputs(seed: int, device="cpu", n_classes: int = 10) -> list[torch.Tensor]:
    """Fixed logits and labels: (real_src, real_cls, fake_src, fake_cls, real_labels, fake_labels).

    ``n_classes`` other than 10 shows a loss that assumes ten classes (a one-hot of width 10, say)."""
    g = torch.Generator().manual_seed(seed)
    real_src, fake_src = torch.randn(12, 1, generator=g) + 1.5, torch.randn(12, 1, generator=g) - 0.5
    real_cls, fake_cls = 2 * torch.randn(12, n_classes, generator=g), 2 * torch.randn(12, n_classes, generator=g)
    real_labels, fake_labels = torch.arange(12) % n_classes, (7 * torch.arange(12) + 4) % n_classes
    return [t.to(device).requires_grad_(t.is_floating_point()) for t in
            (real_src, real_cls, fake_src, fake_cls, real_labels, fake_labels)]


# ------------------------------------------------------------------------------- the ACGAN step (p04)
def _favoured_class(seed: int) -> int:
    return seed % N_CLASSES


def acgan_step_inputs(seed: int, device="cpu") -> tuple:
    """(real, labels, z, fake_labels) of the one-step check: 40 real digits (four of each class) and 40 fakes,
    none of which is asked for the class the step's D favours (:func:`acgan_step_networks`)."""
    seeds = step_seeds(seed)
    real, labels = mnist_batch(40, device, offset=seeds["offset"])
    z = noise(40, seed=seeds["noise"], device=device)
    others = torch.randint(1, N_CLASSES, (40,), generator=torch.Generator().manual_seed(seeds["labels"]))
    fake_labels = (_favoured_class(seed) + others) % N_CLASSES
    return real, labels, z, fake_labels.to(device)


def acgan_step_networks(seed: int, device="cpu", watched: bool = False) -> tuple:
    """(G, D) of the one-step check, drawn from the grading seed.

    D's class head favours one class by a wide margin (a bias of +4), which one step does not undo: D names that
    class for every image, so its accuracy on the real digits is 4/40 whatever the seed, while on the fakes
    (never asked for that class) it is 0. An accuracy measured on the wrong batch can then never pass for the
    right one by chance.
    """
    seeds = step_seeds(seed)
    G = _seeded(WatchedACGenerator, seeds["G"], "cpu") if watched else tiny_ac_generator(seeds["G"])
    D = tiny_ac_discriminator(seeds["D"])
    with torch.no_grad():
        D.classes.bias[_favoured_class(seed)] += 4.0
    return G.to(device), D.to(device)


def acgan_training_batch(step: int, device="cpu") -> tuple:
    """The noise and labels of step ``step`` of the short ACGAN training."""
    z = noise(64, seed=100 + step, device=device)
    fake_labels = torch.randint(0, N_CLASSES, (64,), generator=torch.Generator().manual_seed(step)).to(device)
    return z, fake_labels


def _positive(seed: int, n: int) -> list[float]:
    """``n`` weights in [0.5, 1.5], drawn from ``seed``."""
    return (0.5 + torch.rand(n, generator=torch.Generator().manual_seed(seed))).tolist()


def _squared_to_one_hot(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    return (logits - F.one_hot(labels, logits.shape[1]).to(logits.dtype)).pow(2).sum(1).mean()


def acgan_stand_ins(seed: int) -> dict:
    """Stand-ins for ``acgan_d_loss`` and ``acgan_g_loss`` (problem 03): least-squares losses with seed-drawn
    weights (source scores towards 1 and 0, class scores towards the one-hot labels). Not the ACGAN losses, but
    differentiable in every input and dependent on every label, so a step that passes the wrong labels or the
    wrong scores still moves the networks differently from a correct step."""
    a, b, c, d = _positive(seed, 4)

    def acgan_d_loss(real_src, real_cls, fake_src, fake_cls, real_labels, fake_labels):
        return (a * (real_src - 1).pow(2).mean() + b * fake_src.pow(2).mean()
                + c * _squared_to_one_hot(real_cls, real_labels) + d * _squared_to_one_hot(fake_cls, fake_labels))

    def acgan_g_loss(fake_src, fake_cls, fake_labels):
        return a * (fake_src - 1).pow(2).mean() + d * _squared_to_one_hot(fake_cls, fake_labels)

    return dict(acgan_d_loss=acgan_d_loss, acgan_g_loss=acgan_g_loss)


# -------------------------------------------------------------------------- per-class accuracy (p05)
SWAPS = {2: 6, 6: 2, 9: 0}  # the reader's mistakes: every 2 is read as a 6, 6 as 2, 9 as 0


class PatternGenerator(nn.Module):
    """Draws one fixed pattern per class, whatever the noise (it insists on N×nz noise, one row per image, and on
    classes below ``n_classes``).

    On the meta device (the device check) it records nothing, but it still uses the noise, so noise made on
    another device shows.
    """

    def __init__(self, nz: int, n_classes: int):
        super().__init__()
        self.nz, self.n_classes, self.seen = nz, n_classes, []
        self.patterns = nn.Parameter(torch.eye(n_classes).repeat_interleave(28 * 28 // n_classes + 1, dim=1)
                                     [:, :28 * 28].reshape(n_classes, 1, 28, 28))

    def forward(self, z, labels):
        if z.ndim < 2 or z.shape[0] != labels.shape[0] or z[0].numel() != self.nz:
            raise AssertionError(f"class_accuracy_by_class gave the generator noise of shape {tuple(z.shape)} for "
                                 f"{labels.shape[0]} labels; expected one noise vector of size nz={self.nz} per image.")
        if labels.device.type != "meta":
            if labels.numel() and (labels.min() < 0 or labels.max() >= self.n_classes):
                raise AssertionError(f"class_accuracy_by_class asked the generator for class {labels.max().item()}, "
                                     f"but it was called with n_classes={self.n_classes}: draw the classes "
                                     "0, …, n_classes − 1 of the n_classes argument.")
            self.seen.append((self.training, labels.detach().cpu()))
        return self.patterns[labels] + 0 * z.reshape(len(z), -1)[:, :1, None, None]


class PatternReader(nn.Module):
    """Reads the pattern's class back, with a few classes swapped; its source head says nothing useful."""

    def __init__(self, n_classes: int):
        super().__init__()
        order = [SWAPS.get(c, c) if SWAPS.get(c, c) < n_classes else c for c in range(n_classes)]
        self.read = nn.Parameter(torch.eye(n_classes)[order] * 5, requires_grad=False)
        self.step = 28 * 28 // n_classes + 1
        self.modes = []

    def forward(self, x):
        self.modes.append(self.training)
        votes = x.flatten(1)[:, ::self.step][:, :len(self.read)]
        source = votes.argmax(1, keepdim=True).float()  # a "source" that would give other accuracies
        return source, votes @ self.read


# ------------------------------------------------------------------------------ Wasserstein losses (p07)
def scores(n: int, seed: int, shift: float, device="cpu") -> torch.Tensor:
    s = torch.randn(n, 1, generator=torch.Generator().manual_seed(seed)) * 2 + shift
    return s.to(device).requires_grad_(True)


def wasserstein_scores(seed: int, device="cpu") -> tuple:
    """(real, fake) scores for critic_loss and the fake scores for wgan_generator_loss."""
    return (scores(16, seed % 7001 + 1, 3.0, device), scores(16, seed % 6007 + 2, -1.0, device),
            scores(16, seed % 5003 + 3, 0.5, device))


# ----------------------------------------------------------------------------------- clipping (p08)
CLIP_C = 0.03  # not the default 0.01: the function must use its argument


def clipping_critic(seed: int, device="cpu") -> nn.Module:
    """The small critic with weights N(0, 0.05²) (drawn from the seed): many outside [-0.03, 0.03]."""
    critic = tiny_critic(device=device)
    with torch.no_grad():
        for i, p in enumerate(critic.parameters()):
            p.copy_(torch.randn(p.shape, generator=torch.Generator().manual_seed(seed % 10_000 + i)) * 0.05)
    return critic


def inside_network(seed: int, c: float = CLIP_C, device="cpu") -> nn.Module:
    """A Linear(5, 3) whose weights all lie inside [-c/2, c/2]."""
    net = nn.Linear(5, 3)
    g = torch.Generator().manual_seed(seed % 9001 + 17)
    with torch.no_grad():
        net.weight.copy_((torch.rand(3, 5, generator=g) - 0.5) * c)
        net.bias.copy_((torch.rand(3, generator=g) - 0.5) * c)
    return net.to(device)


# --------------------------------------------------------------------------------- the WGAN step (p11)
class ConstantGenerator(nn.Module):
    """Draws the same image whatever the noise: with a linear critic the WGAN step is then exact.

    It insists on noise of size ``nz``, so a step that ignores its ``nz`` argument shows.
    """

    def __init__(self, nz: int, shape=(3, 32, 32), seed: int = 8, device="cpu", step: str = "wgan_step"):
        super().__init__()
        self.nz, self.step = nz, step
        image = 0.3 * torch.randn(*shape, generator=torch.Generator().manual_seed(seed))
        self.image = nn.Parameter(image.to(device))

    def forward(self, z):
        _expect_noise_size(z, self.nz, self.step)
        return self.image.unsqueeze(0).expand(len(z), *self.image.shape)


def _expect_noise_size(z, nz: int, step: str) -> None:
    if z.ndim < 2 or z.shape[1] != nz or z[0].numel() != nz:
        raise AssertionError(f"{step} gave the generator noise of shape {tuple(z.shape)}; expected N×{nz} "
                             f"(or N×{nz}×1×1: nz is the step's argument, here {nz}). Draw torch.randn(len(real), nz, "
                             "device=real.device).")


class NoiseGenerator(nn.Module):
    """Draws an image that depends on its noise (a fixed linear map of z, then tanh): fakes from different noise
    differ, so fakes (or noise) drawn once and reused across the critic updates show."""

    def __init__(self, nz: int, seed: int = 9, device="cpu", step: str = "wgan_step"):
        super().__init__()
        self.nz, self.step = nz, step
        g = torch.Generator().manual_seed(seed)
        self.map = nn.Parameter((torch.randn(nz, 28 * 28, generator=g) / nz ** 0.5).to(device))
        self.base = nn.Parameter((0.3 * torch.randn(*IMAGE, generator=g)).to(device))

    def forward(self, z):
        _expect_noise_size(z, self.nz, self.step)
        return torch.tanh(self.base + (z.reshape(len(z), -1) @ self.map).view(len(z), *IMAGE))


class FingerprintCritic(LinearCritic):
    """A linear critic that records, at each call, how many critic updates were made so far and a fingerprint of
    each image it scored (:func:`fingerprints`)."""

    def __init__(self, seed: int, device="cpu"):
        super().__init__(IMAGE, norm=2.0, seed=seed, device=device)
        self.updates, self.seen = 0, []

    def forward(self, x):
        self.seen.append((self.updates, fingerprints(x, x.device).cpu()))
        return super().forward(x)


class WatchedCritic(LinearCritic):
    """A linear critic (its gradient is w everywhere) that records, at each call, how many critic updates
    were made so far and its largest |parameter|."""

    def __init__(self, seed: int, device="cpu"):
        super().__init__(IMAGE, norm=2.0, seed=seed, device=device)
        self.updates, self.calls = 0, []

    def forward(self, x):
        self.calls.append((self.updates, self.w.detach().abs().max().item()))
        return super().forward(x)


N_CRITIC, CLIP, LAMBDA = 3, 0.02, 5.0  # not the defaults: the step must use its arguments


def wgan_exact_case(seed: int, device="cpu") -> tuple:
    """(critic, G, g_optimizer, c_optimizer): a linear critic and a generator of one fixed image, with stale
    gradients (a missing zero_grad() shows) and SGD optimisers; the step is deterministic."""
    seeds = step_seeds(seed)
    critic = WatchedCritic(seeds["critic"], device)
    G = ConstantGenerator(nz=NZ, shape=IMAGE, seed=seeds["image"], device=device)
    for net in (critic, G):
        for p in net.parameters():
            p.grad = torch.full_like(p, 0.37)
    g_opt, c_opt = torch.optim.SGD(G.parameters(), lr=0.1), torch.optim.SGD(critic.parameters(), lr=0.02)
    c_opt.register_step_post_hook(lambda *args: setattr(critic, "updates", critic.updates + 1))
    return critic, G, g_opt, c_opt


def wgan_fresh_case(seed: int, device="cpu") -> tuple:
    """(critic, G, g_optimizer, c_optimizer) of the freshness check: a fingerprinting linear critic and a generator
    whose images depend on the noise; the critic's optimiser counts its updates."""
    seeds = step_seeds(seed)
    critic = FingerprintCritic(seeds["critic"], device)
    G = NoiseGenerator(NZ, seed=seeds["image"], device=device)
    g_opt, c_opt = torch.optim.SGD(G.parameters(), lr=0.1), torch.optim.SGD(critic.parameters(), lr=0.02)
    c_opt.register_step_post_hook(lambda *args: setattr(critic, "updates", critic.updates + 1))
    return critic, G, g_opt, c_opt


def wgan_meta_case(seed: int, device) -> tuple:
    """(critic, G, g_optimizer, c_optimizer) on ``device`` (meta: shapes only) for the device check."""
    seeds = step_seeds(seed)
    critic, G = LinearCritic(IMAGE, norm=2.0, seed=seeds["critic"], device=device), NoiseGenerator(NZ, device=device)
    return critic, G, torch.optim.SGD(G.parameters(), lr=0.1), torch.optim.SGD(critic.parameters(), lr=0.02)


def wgan_exact_batches(seed: int, device="cpu") -> list[torch.Tensor]:
    real, _ = mnist_batch(8 * N_CRITIC, device, offset=step_seeds(seed)["offset"])
    return list(real.split(8))


def wgan_training_batches(device="cpu") -> list[torch.Tensor]:
    real, _ = mnist_batch(32 * N_CRITIC, device)
    return list(real.split(32))


def _sample_weights(seed: int, n: int, like: torch.Tensor) -> torch.Tensor:
    return (0.5 + torch.rand(n, generator=torch.Generator().manual_seed(seed + n))).to(like.device, like.dtype)


def _per_sample(scores: torch.Tensor) -> torch.Tensor:
    return scores.reshape(len(scores), -1).mean(1)


def wgan_stand_ins(seed: int) -> dict:
    """Stand-ins for ``critic_loss``, ``wgan_generator_loss`` (problem 07), ``gradient_penalty`` (10) and
    ``clip_weights`` (08): means of the scores with seed-drawn weights per sample, a smooth penalty of the
    critic's scores at a fixed mix of real and fake (no second derivatives needed), and a soft clip
    c·tanh(p / c). Not the answers, but each does its part of the step: the losses train the critic and the
    generator in the right direction, the penalty changes the critic's update, and the clip keeps every
    parameter inside [-c, c], so a step that forgets to clip, clips once, or mixes the terms still shows."""
    s = seed % 100_003
    mix, k = 0.3 + 0.4 * (_positive(s + 1, 1)[0] - 0.5), _positive(s + 2, 1)[0]

    def critic_loss(real_scores, fake_scores):
        return ((_sample_weights(s + 3, len(fake_scores), fake_scores) * _per_sample(fake_scores)).mean()
                - (_sample_weights(s + 4, len(real_scores), real_scores) * _per_sample(real_scores)).mean())

    def wgan_generator_loss(fake_scores):
        return -(_sample_weights(s + 5, len(fake_scores), fake_scores) * _per_sample(fake_scores)).mean()

    def gradient_penalty(critic, real, fake):
        return k * torch.log1p(critic(mix * real + (1 - mix) * fake).pow(2)).mean()

    def clip_weights(critic, c):
        with torch.no_grad():
            for p in critic.parameters():
                p.copy_(c * torch.tanh(p / c))

    return dict(critic_loss=critic_loss, wgan_generator_loss=wgan_generator_loss,
                gradient_penalty=gradient_penalty, clip_weights=clip_weights)

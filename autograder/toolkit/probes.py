"""Architecture probes shared by every homework: what a network actually runs, read from forward hooks.

Checks judge behaviour, not source text or the order of modules that do not change the function:
``Sigmoid(), Flatten()`` and ``Flatten(), Sigmoid()`` are the same network, and so is an output
activation written as ``torch.tanh(x)`` in ``forward`` instead of an ``nn.Tanh`` module.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import torch
from torch import nn

from autograder.toolkit.expect import expect, expect_shape

ACTIVATIONS = (nn.ReLU, nn.LeakyReLU, nn.Tanh, nn.Sigmoid, nn.ELU, nn.GELU, nn.SiLU, nn.PReLU, nn.SELU, nn.ReLU6,
               nn.Softplus, nn.Mish, nn.Hardtanh)
EXPECTED_ACTIVATION = {"relu": "nn.ReLU()", "leakyrelu": "nn.LeakyReLU(0.2)", "tanh": "nn.Tanh()"}
OUTPUT_FUNCTIONS: dict[type, Callable[[torch.Tensor], torch.Tensor]] = {nn.Tanh: torch.tanh, nn.Sigmoid: torch.sigmoid}


@dataclass
class Trace:
    """One forward pass: the leaf modules in the order they ran (twice if run twice) and their outputs."""

    leaves: list[nn.Module]
    outputs: list[torch.Tensor]
    out: torch.Tensor

    def output_leaf(self, kind: type) -> int | None:
        """Index of the last ``kind`` leaf whose output *is* the network's output (up to a reshape)."""
        for i in range(len(self.leaves) - 1, -1, -1):
            if isinstance(self.leaves[i], kind) and _same_values(self.outputs[i], self.out):
                return i
        return None

    def hidden_activations(self, output_kind: type) -> list[nn.Module]:
        """The activation layers that run before the output activation (``output_kind``: Tanh or Sigmoid)."""
        last = self.output_leaf(output_kind)
        return [m for i, m in enumerate(self.leaves) if isinstance(m, ACTIVATIONS) and i != last]

    def batchnorm_positions(self) -> list[int]:
        return [i for i, m in enumerate(self.leaves) if isinstance(m, nn.modules.batchnorm._BatchNorm)]


def trace(model: nn.Module, *inputs) -> Trace:
    """Run ``model(*inputs)`` without a graph and record every leaf module it runs."""
    leaves: list[nn.Module] = []
    outputs: list[torch.Tensor] = []

    def record(module, args, out):
        leaves.append(module)
        outputs.append(out.detach() if isinstance(out, torch.Tensor) else out)

    hooks = [m.register_forward_hook(record) for m in model.modules() if not list(m.children())]
    try:
        with torch.no_grad():
            out = model(*inputs)
    finally:
        for h in hooks:
            h.remove()
    return Trace(leaves, outputs, out)


def _same_values(a, b) -> bool:
    return (isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor) and a.numel() == b.numel()
            and torch.equal(a.reshape(-1), b.reshape(-1)))


def is_activation(module: nn.Module, name: str) -> bool:
    if name == "relu":
        return type(module) is nn.ReLU
    if name == "leakyrelu":
        return isinstance(module, nn.LeakyReLU) and abs(module.negative_slope - 0.2) < 1e-9
    return isinstance(module, nn.Tanh)


def describe(module: nn.Module) -> str:
    if isinstance(module, nn.LeakyReLU):
        return f"LeakyReLU({module.negative_slope:g})"
    return type(module).__name__


def expect_hidden_activations(call: str, run: Trace, activation: str, output_kind: type, where: str) -> None:
    """Every activation that runs before the output activation is ``activation`` ("relu", "leakyrelu", "tanh")."""
    acts = run.hidden_activations(output_kind)
    found = ", ".join(describe(m) for m in acts) or "none"
    expect(len(acts) >= 3 and all(is_activation(m, activation) for m in acts),
           f"{call}: the activation after each of the 3 hidden {where} should be {EXPECTED_ACTIVATION[activation]}; "
           f"found these activation layers: {found}. Build them with make_activation(activation) so the argument "
           "chooses them.")


def expect_output_activation(call: str, run: Trace, kind: type) -> None:
    """The network's output is ``kind`` (nn.Tanh or nn.Sigmoid) of what the layer before it computed.

    Accepts the module anywhere it is the last thing that changes the values (a Flatten after it is
    fine) and the functional form (``torch.tanh(x)``); rejects look-alikes such as ``x.clamp(-1, 1)``,
    which fill the same range but pass no gradient where they clip.
    """
    if run.output_leaf(kind) is not None:
        return
    function, name = OUTPUT_FUNCTIONS[kind], kind.__name__
    # The functional form: the output is f(the last computed tensor of the output's size).
    for pre in reversed(run.outputs):
        if isinstance(pre, torch.Tensor) and pre.numel() == run.out.numel() and not _same_values(pre, run.out):
            if torch.allclose(function(pre).reshape(-1), run.out.reshape(-1), atol=1e-6):
                return
            break
    expect(False, f"{call}: the output should be nn.{name}() of the last layer's output, and it is not: end the "
           f"network with nn.{name}(). (A clamp to the same range is not the same: it passes no gradient where it "
           "clips.)")


def expect_batchnorm_after(call: str, run: Trace, wanted: int, conv: type, rule: str) -> list[int]:
    """``wanted`` BatchNorm layers ran, each right after a ``conv`` layer (conv → BatchNorm → activation)."""
    bns = run.batchnorm_positions()
    expect(len(bns) == wanted, f"{call} should use {wanted} BatchNorm layers ({rule}); found {len(bns)}. "
           "Add nn.BatchNorm2d only when the batchnorm argument is true.")
    for i in bns:
        expect(i > 0 and isinstance(run.leaves[i - 1], conv),
               f"{call}: each BatchNorm2d should come right after a {conv.__name__} (conv → BatchNorm → activation); "
               f"one comes after {describe(run.leaves[i - 1]) if i else 'nothing'}.")
    return bns


def with_large_weights(model: nn.Module, *inputs: torch.Tensor, factor: float = 10) -> torch.Tensor:
    """``model(*inputs)`` without a graph after multiplying its weight matrices and kernels (not biases, not norm
    scales) by ``factor``: pre-activations become large, so an unbounded output (logits, a critic's score) spreads
    widely while a saturating output layer (Tanh, Sigmoid, Softmax) keeps it in its range. The model keeps the
    enlarged weights."""
    with torch.no_grad():
        for p in model.parameters():
            if p.ndim > 1:
                p.mul_(factor)
        return model(*inputs)


def expect_logits(scores: torch.Tensor, what: str) -> None:
    """Scores from :func:`with_large_weights` must spread outside [0, 1]: logits, not probabilities."""
    expect(scores.max() - scores.min() > 5 and (scores.min() < 0 or scores.max() > 1),
           f"With large weights {what} stay between {scores.min().item():.3f} and {scores.max().item():.3f}: they look "
           "like probabilities. Return logits (no Sigmoid): the loss applies it with binary_cross_entropy_with_logits.")


def expect_class_logits(logits: torch.Tensor, what: str) -> None:
    """Class scores from :func:`with_large_weights` must not be rows of probabilities (Softmax)."""
    sums = logits.sum(1)
    expect(not (bool((logits >= 0).all()) and torch.allclose(sums, torch.ones_like(sums), atol=1e-3)),
           f"{what} are probabilities (each row sums to 1): return logits, without Softmax; F.cross_entropy applies "
           "log-softmax itself.")


def expect_critic(make_critic: Callable[[], nn.Module], image_shape: tuple, call: str, device) -> None:
    """A Wasserstein critic: an nn.Module scoring each image on its own with an unbounded N×1 score.

    ``make_critic()`` builds a fresh critic (``call`` names it in messages, e.g. ``"Critic(ndf=8)"``).
    No Sigmoid/Softmax, no BatchNorm (the gradient penalty is per image), and with large weights the
    scores spread widely (a final Sigmoid or Tanh would keep them inside its range).
    """
    torch.manual_seed(0)
    C = make_critic()
    expect(isinstance(C, nn.Module), f"{call} should create an nn.Module, found {type(C).__name__}.")
    sigmoids = [type(m).__name__ for m in C.modules() if isinstance(m, (nn.Sigmoid, nn.Softmax))]
    expect(not sigmoids, f"The critic contains {', '.join(sigmoids)}: its score must be unbounded (a Wasserstein "
           "critic is not a classifier). Remove the final Sigmoid.")
    norms = [type(m).__name__ for m in C.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    expect(not norms, f"The critic contains {', '.join(norms)}: BatchNorm mixes the images of a batch, but the "
           "gradient penalty is defined per image. Use no normalisation, or nn.LayerNorm / nn.InstanceNorm2d.")
    C = C.to(device)
    x = torch.randn(8, *image_shape, device=device)
    out = C(x)
    shape = "×".join(str(s) for s in image_shape)
    expect_shape(out, (8, 1), f"{call} applied to 8 images of {shape}", "Return one score per image as N×1.")
    with torch.no_grad():
        alone = C(x[:1])
    expect(torch.allclose(alone, out[:1].detach(), rtol=1e-3, atol=1e-3),
           f"The score of an image depends on the other images of the batch ({alone.item():.5f} alone, "
           f"{out[0].item():.5f} in a batch of 8): the critic must score each image on its own (no BatchNorm, "
           "nothing computed across the batch).")
    # Large weights make an unbounded score large: a Sigmoid (or Tanh) would keep it inside (0, 1) (or (-1, 1)).
    big = with_large_weights(C, x * 3)
    spread = (big.max() - big.min()).item()
    expect(spread > 5,
           f"With large weights the critic's scores stay between {big.min().item():.3f} and {big.max().item():.3f}: "
           "they look squashed by a final Sigmoid or Tanh. The last layer should be the linear 1×1 convolution "
           "(or Linear) without any activation.")
    single = make_critic().to(device)(torch.randn(1, *image_shape, device=device))
    expect_shape(single, (1, 1), f"{call} applied to a single image")

"""What a network is built of beyond its first layer, as plain data (runner) and its check (judge).

The runner calls :func:`structure` on the student's model; the judge calls :func:`expect_structure` with what the
notebook prescribes. Four properties, each one a prescribed layer list fixes and a realistic mistake changes:
the number of weights in weight matrices and kernels (a layer left out, added or sized by a constant instead of an
argument; biases and norm scales are left out, so ``bias=False`` before a BatchNorm is no mistake), the
normalisation layers, the activation modules with their slopes, and each embedding's number of rows.
Activations written functionally (``F.leaky_relu`` in ``forward``) are not modules and are not seen here.
"""
from __future__ import annotations

from collections import Counter

from torch import nn

from autograder.toolkit.expect import expect
from autograder.toolkit.probes import ACTIVATIONS, describe

NORMS = (nn.modules.batchnorm._BatchNorm, nn.modules.instancenorm._InstanceNorm, nn.LayerNorm, nn.GroupNorm)


def structure(model: nn.Module) -> dict:
    """Plain data the judge compares with the prescribed architecture (see the module's docstring)."""
    weights = sum(p.numel() for m in model.modules() if not isinstance(m, NORMS)
                  for p in m.parameters(recurse=False) if p.ndim > 1)  # a LayerNorm's scale may be 3-d: not counted
    return {"weights": int(weights),
            "norms": [type(m).__name__ for m in model.modules() if isinstance(m, NORMS)],
            "activations": sorted({describe(m) for m in model.modules() if isinstance(m, ACTIVATIONS)}),
            "embeddings": [int(m.num_embeddings) for m in model.modules() if isinstance(m, nn.Embedding)]}


def _strings(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def expect_structure(found, call: str, *, weights: int, norms: list[str] | None, activations: set[str],
                     embeddings: list[int] = ()) -> None:
    """``found`` (from :func:`structure` on ``call``'s model) matches the prescribed architecture.

    ``norms``: the normalisation layers asked for (any order; None: not checked here); ``activations``: the only
    activation modules allowed; ``embeddings``: the rows each nn.Embedding must have (one per class).
    """
    expect(isinstance(found, dict) and type(found.get("weights")) is int and _strings(found.get("norms"))
           and _strings(found.get("activations")) and isinstance(found.get("embeddings"), list)
           and all(type(e) is int for e in found["embeddings"]),
           f"The grader could not read the layers of {call}.")
    rows = found["embeddings"]
    expect(not embeddings or rows == list(embeddings),
           f"{call}: its nn.Embedding has {', '.join(map(str, rows)) or 'no'} rows; it needs one per class "
           f"({', '.join(map(str, embeddings))}): size it with the n_classes argument, nn.Embedding(n_classes, …).")
    if norms is not None and Counter(found["norms"]) != Counter(norms):
        have = ", ".join(found["norms"]) or "none"
        expect(False, f"{call} has {len(found['norms'])} normalisation layer(s) ({have}); the architecture asks for "
               f"{len(norms)}: {', '.join(norms) or 'none'}, where the layer table puts them.")
    wrong = [a for a in found["activations"] if a not in activations]
    expect(not wrong, f"{call} uses {', '.join(wrong)}; the architecture's activations are "
           f"{', '.join(sorted(activations))} (mind the slope of a LeakyReLU).")
    expect(found["weights"] == weights,
           f"{call} has {found['weights']:,} weights in its weight matrices and kernels; the architecture in the "
           f"table has {weights:,}: a layer is missing, extra or sized differently (use the arguments, not constants).")

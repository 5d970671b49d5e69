"""Outputs that must stay unbounded: a critic's score, logits, a decoder's logits, a Gaussian's mean.

Asking only "not a probability" lets an activation that caps the range slip through (a ReLU or Softplus after a
critic's last layer, a Tanh on logits). The runner evaluates the network with large weight matrices, once as they
are and once with each of them negated in turn (:func:`large_weight_outputs`), which drives a correct output far
beyond any capped range on both sides; the judge requires exactly that (:func:`expect_open_range`).
"""
from __future__ import annotations

import torch

from autograder.toolkit.expect import expect
from autograder.toolkit.probes import with_large_weights

MARGIN = 2.0  # beyond Tanh's, Sigmoid's, Hardtanh's and a [-1, 1] clamp's range, and below ReLU's and Softplus's


def large_weight_outputs(model, *inputs):
    """``model(*inputs)`` without a graph after enlarging its weight matrices, then again with each weight matrix
    negated in turn, the runs' outputs joined along the batch (a tuple of outputs joined part by part).

    An unbounded output of a correct network can have one sign for every input (the features before its last layer
    mostly positive after a LeakyReLU); negating that layer's weights negates the output, so together the runs reach
    far to both sides, while a Sigmoid, Tanh, clamp or ReLU after the layer keeps them in its range. Which layer
    comes last need not be known: every one is negated once. The model's weights are left enlarged.
    """
    runs = [with_large_weights(model, *inputs)]
    with torch.no_grad():
        for p in [p for p in model.parameters() if p.ndim > 1]:
            p.neg_()
            runs.append(model(*inputs))
            p.neg_()
    if all(isinstance(r, torch.Tensor) for r in runs):
        return torch.cat(runs)
    if all(isinstance(r, (tuple, list)) and len(r) == len(runs[0]) and all(isinstance(t, torch.Tensor) for t in r)
           for r in runs):
        return tuple(torch.cat(parts) for parts in zip(*runs))
    return runs[0]


def expect_open_range(values, what: str, fix: str, margin: float = MARGIN) -> None:
    """``values`` (from a network with large weights) reach below ``-margin`` and above ``margin``.

    ``what`` names the output in messages ("the critic's scores"); ``fix`` says what the output should be.
    """
    expect(isinstance(values, torch.Tensor) and values.is_floating_point() and values.numel() > 1,
           f"The grader could not read {what} with large weights.")
    expect(bool(torch.isfinite(values).all()), f"With large weights {what} are not finite (inf or nan).")
    low, high = values.min().item(), values.max().item()
    if low > -margin and high < margin:
        seen = "stay inside a bounded range, as if squashed by a Tanh, Sigmoid or clamp"
    elif low >= -margin:
        seen = "are never (much) below 0, as if cut by a ReLU, Softplus or exp"
    elif high <= margin:
        seen = "are never (much) above 0, as if cut from above"
    else:
        return
    expect(False, f"With large weights {what} range from {low:.3f} to {high:.3f}: they {seen}. {fix}")

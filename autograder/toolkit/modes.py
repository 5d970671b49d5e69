"""Training or evaluation mode, as a step leaves its networks.

A step that calls ``G.eval()`` (to draw fakes, say) and never switches back leaves the network in evaluation mode
for every later step: BatchNorm then uses running statistics and Dropout stops dropping. Fixtures without those
layers cannot show it in the weights, so the runner reports every module's ``training`` flag after the step
(:func:`modes`) and the judge requires training mode throughout (:func:`expect_training_mode`).
"""
from __future__ import annotations

from torch import nn

from autograder.toolkit.expect import expect


def modes(**networks: nn.Module) -> dict:
    """``{name: [module.training for every module]}`` for each network."""
    return {name: [bool(m.training) for m in net.modules()] for name, net in networks.items()}


def expect_training_mode(found, function: str, names: tuple[str, ...]) -> None:
    """After ``function``, each network in ``names`` is in training mode (``found`` from :func:`modes`)."""
    expect(isinstance(found, dict) and all(isinstance(found.get(n), list) and found[n]
                                           and all(isinstance(b, bool) for b in found[n]) for n in names),
           f"The grader could not read the modes of the networks after {function}.")
    for name in names:
        off = found[name].count(False)
        expect(off == 0, f"After {function}, {name} is left in evaluation mode ({off} of its {len(found[name])} "
               f"modules): the next training steps would run with BatchNorm's running statistics and no Dropout. "
               f"If the step switches {name} to eval() for a moment, switch it back with {name}.train() before "
               "returning.")

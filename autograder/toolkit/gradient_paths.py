"""Gradient paths inside a student's own network: does every parameter get a gradient from the output?

A ``.detach()`` (or ``.data``, ``torch.no_grad()``, a tensor rebuilt with ``torch.tensor``) inside ``forward`` cuts
the layers before it off from training. Checks that evaluate a network without a graph never see it, and step checks
train the judge's networks, not the student's. The runner backpropagates a random projection of every output of
the student's network (:func:`parameter_gradients`); the judge requires a gradient in every parameter
(:func:`expect_gradients_everywhere`).
"""
from __future__ import annotations

import torch
from torch import nn

from autograder.toolkit.expect import expect


def _tensors(value) -> list[torch.Tensor]:
    if isinstance(value, torch.Tensor):
        return [value]
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in _tensors(v)]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _tensors(v)]
    return []


def layer_name(model: nn.Module, parameter: str) -> str:
    """``net.0.bias`` → ``layer net.0 (Linear) bias``: the parameter named the way the student built the network."""
    path, _, leaf = parameter.rpartition(".")
    owner = model.get_submodule(path) if path else model
    where = f"layer {path} ({type(owner).__name__})" if path else type(owner).__name__
    return f"{where} {leaf}"


def parameter_gradients(model: nn.Module, *inputs, seed: int = 0, only: int | None = None) -> list:
    """``[[layer name, |grad| summed or None], …]`` after backpropagating ``Σ r·output`` for every floating output
    of ``model(*inputs)`` (``r`` standard normal from ``seed``: no parameter's gradient cancels by symmetry); with
    ``only``, for that one output of a network that returns several (one head's reach)."""
    model.zero_grad(set_to_none=True)
    result = model(*inputs)
    if only is not None:
        result = result[only] if isinstance(result, (tuple, list)) and len(result) > only else None
    outputs = [t for t in _tensors(result) if t.is_floating_point() and t.requires_grad]
    draws = torch.Generator().manual_seed(seed)
    if outputs:
        sum((t * torch.randn(t.shape, generator=draws).to(t.device)).sum() for t in outputs).backward()
    found = [[layer_name(model, name), None if p.grad is None else float(p.grad.detach().abs().sum())]
             for name, p in model.named_parameters()]
    model.zero_grad(set_to_none=True)
    return found


def expect_gradients_everywhere(found, call: str) -> None:
    """Every parameter of ``call``'s network got a gradient from its outputs (``found`` from
    :func:`parameter_gradients`)."""
    expect(isinstance(found, list) and all(isinstance(f, (list, tuple)) and len(f) == 2 and isinstance(f[0], str)
                                           and (f[1] is None or isinstance(f[1], float)) for f in found),
           f"The grader could not read the gradients of {call}.")
    expect(bool(found), f"{call} has no parameters to train.")
    cut = [name for name, grad in found if grad is None or not grad > 0]
    if cut:
        named = ", ".join(cut[:4]) + (f" and {len(cut) - 4} more" if len(cut) > 4 else "")
        expect(False, f"Backpropagating from the outputs of {call} leaves no gradient in {len(cut)} of its "
               f"{len(found)} parameters ({named}): they would never learn. Something in forward cuts them off "
               "from the output (.detach(), .data, torch.no_grad(), a tensor rebuilt with torch.tensor(...)), or "
               "they are not used at all.")

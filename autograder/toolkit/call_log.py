"""Freshness and reuse: what a network was called with during a student's step, as plain data.

A step that draws its fakes once and reuses them across an inner loop (the critic's ``n_critic`` updates), or that
draws noise of its own where it should use the given noise, passes a weight comparison when the fixture's generator
ignores its noise. Fixtures whose output depends on every input make reuse visible, and the runner records what the
watched networks were called with (:func:`watch`: mode, inputs, how many optimiser steps had happened), or a compact
fingerprint of each image (:func:`fingerprints`) where whole batches would be too much data; the judge compares them
with the inputs it gave and with each other.
"""
from __future__ import annotations

import torch
from torch import nn

from autograder.pipeline.runner import plain

FINGERPRINT = 4  # numbers per image: fixed random projections that tell images apart


def fingerprints(x: torch.Tensor, device="cpu") -> torch.Tensor:
    """N×FINGERPRINT fixed random projections of N images (the same on the runner's and the judge's side)."""
    features = x[0].numel() if len(x) else 1
    probe = torch.randn(features, FINGERPRINT, generator=torch.Generator().manual_seed(4242)).to(device, x.dtype)
    return x.detach().reshape(len(x), -1) @ probe


def watch(net: nn.Module, inputs: bool = True, **counters: list) -> list:
    """Every call of ``net`` from now on: its mode, the tensors it was given (copies; none unless ``inputs``) and, for
    each named list of optimiser events (see :func:`autograder.toolkit.steps.record_events`), how many ``step()`` calls had
    happened before it."""
    calls: list = []

    def hook(module, args, kwargs):
        given = [v for v in (*args, *kwargs.values()) if isinstance(v, torch.Tensor)] if inputs else []
        calls.append({"training": bool(module.training), "inputs": [plain(v) for v in given],
                      **{name: events.count("step") for name, events in counters.items()}})
    net.register_forward_pre_hook(hook, with_kwargs=True)
    return calls

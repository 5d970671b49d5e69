"""The one place that chooses where tensors live: CUDA, then Apple MPS, then CPU."""
from __future__ import annotations

import os

import torch

DEVICE_ENV = "GAN_COURSE_DEVICE"


def get_device(prefer: str | None = None) -> torch.device:
    """Return the device every notebook trains on.

    Order: the ``prefer`` argument, then the ``GAN_COURSE_DEVICE`` environment variable
    (e.g. ``cpu`` to force the CPU on a GPU machine), then CUDA, Apple MPS, CPU.
    """
    choice = prefer or os.environ.get(DEVICE_ENV)
    if choice:
        return torch.device(choice)
    if torch.cuda.is_available():
        return torch.device("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def describe_device(device: torch.device) -> str:
    """A one-line report such as ``Using CUDA: NVIDIA T4`` or ``Using CPU``."""
    if device.type == "cuda":
        return f"Using CUDA: {torch.cuda.get_device_name(device)}"
    if device.type == "mps":
        return "Using Apple MPS"
    return f"Using {device.type.upper()}"

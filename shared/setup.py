"""The first cell of every notebook: device report, mode report, seeding."""
from __future__ import annotations

import warnings

import torch

from .device import describe_device, get_device
from .fastmode import is_fast
from .seeding import seed_everything


def setup(seed: int = 0, device: str | None = None) -> torch.device:
    """Pick the device, seed everything, and print one line about each; returns the device."""
    # Harmless library chatter would otherwise clutter every student's output.
    warnings.filterwarnings("ignore", message=".*IProgress not found.*")
    dev = get_device(device)
    if dev.type == "cuda":
        # Convolutions of fixed sizes: let cuDNN pick its fastest kernels; TF32 matmuls on Ampere+
        # (full float32 range, 10-bit mantissa) are safe for GAN training, unlike float16 autocast.
        torch.backends.cudnn.benchmark = True
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    seed_everything(seed)
    mode = "FAST mode (small sizes for grading/CI)" if is_fast() else "full mode"
    print(f"{describe_device(dev)} · {mode} · seed {seed}")
    return dev

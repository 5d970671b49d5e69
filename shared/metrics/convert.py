"""Images as torch-fidelity wants them: uint8, 3×H×W, values 0–255."""
from __future__ import annotations

import torch
from torch.utils.data import Dataset


def to_uint8(images: torch.Tensor) -> torch.Tensor:
    """N×C×H×W floats in [-1, 1] → N×3×H×W uint8 (grayscale replicated to 3 channels).

    −1 maps to 0 and 1 to 255 exactly; values in between are rounded to the nearest level.
    """
    if not isinstance(images, torch.Tensor) or not images.is_floating_point():
        raise TypeError(f"expected a float tensor of images in [-1, 1], got {type(images).__name__}"
                        + (f" of {images.dtype}" if isinstance(images, torch.Tensor) else ""))
    if images.ndim != 4 or images.shape[1] not in (1, 3):
        raise ValueError(f"expected images of shape N×1×H×W or N×3×H×W, got {tuple(images.shape)}")
    low, high = images.min().item(), images.max().item()
    if low < -1.001 or high > 1.001:
        raise ValueError(f"expected images in [-1, 1] (a Tanh output), got values from {low:.3f} to {high:.3f}")
    pixels = ((images.detach().float() + 1) * 127.5).round_().clamp_(0, 255).to(torch.uint8)
    if pixels.shape[1] == 1:
        pixels = pixels.expand(-1, 3, -1, -1)
    return pixels.contiguous()


class UInt8Images(Dataset):
    """A fixed set of uint8 images as a Dataset, the input type torch-fidelity takes."""

    def __init__(self, pixels: torch.Tensor):
        self.pixels = pixels.cpu()

    def __len__(self) -> int:
        return len(self.pixels)

    def __getitem__(self, index):
        return self.pixels[index]

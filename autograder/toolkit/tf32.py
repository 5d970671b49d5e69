"""TF32 on the CPU: what a GPU grading machine does to the student's side, for testing the judge's tolerances.

``shared.setup`` turns on TF32 matrix products on NVIDIA GPUs (Ampere and newer): the inputs of every matrix
product and convolution keep 10 of float32's 23 mantissa bits. :func:`emulate_tf32` rounds those inputs the same
way on the CPU (a torch function mode), wherever ``torch.backends.cuda.matmul.allow_tf32`` (products) or
``torch.backends.cudnn.allow_tf32`` (convolutions) is on at the time of the call, as on a GPU. The student's side
switches both off while it answers (:func:`autograder.pipeline.runner.answer`), so a GPU grading machine computes the
answers in full float32 and the judge's tolerances hold; tests run the student's side under this emulation, with
both flags on as ``shared.setup`` leaves them on a GPU, to prove it.
"""
from __future__ import annotations

import contextlib

import torch
from torch.overrides import TorchFunctionMode

F = torch.nn.functional
_CONVOLUTIONS = {F.conv1d, F.conv2d, F.conv3d, F.conv_transpose1d, F.conv_transpose2d, F.conv_transpose3d}
_PRODUCTS = {F.linear, torch.matmul, torch.mm, torch.bmm, torch.addmm, torch.Tensor.matmul, torch.Tensor.__matmul__,
             torch.einsum}


def round_to_tf32(x: torch.Tensor) -> torch.Tensor:
    """float32 with the 13 lowest mantissa bits rounded away (round to nearest), as TF32 tensor cores read it."""
    if not isinstance(x, torch.Tensor) or x.dtype != torch.float32:
        return x
    with torch.no_grad():
        bits = x.detach().contiguous().view(torch.int32)
        rounded = ((bits + 0x1000) & ~0x1FFF).view(torch.float32)
    return x + (rounded - x.detach())  # the rounded value, with the gradient of the original


class _TF32(TorchFunctionMode):
    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if (func in _PRODUCTS and torch.backends.cuda.matmul.allow_tf32) or (
                func in _CONVOLUTIONS and torch.backends.cudnn.allow_tf32):
            args = tuple(round_to_tf32(a) for a in args)
        return func(*args, **kwargs)


@contextlib.contextmanager
def emulate_tf32(flags_on: bool = True):
    """Products and convolutions as a GPU computes them; with ``flags_on`` TF32 switched on as ``shared.setup``
    switches it on there (restored afterwards)."""
    saved = torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32
    if flags_on:
        torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = True
    try:
        with _TF32():
            yield
    finally:
        torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32 = saved


@contextlib.contextmanager
def full_float32():
    """TF32 off (products and convolutions in full float32), as the student's side answers the judge."""
    saved = torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32
    torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = False
    try:
        yield
    finally:
        torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32 = saved

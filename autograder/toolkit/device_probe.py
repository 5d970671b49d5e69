"""Where a function puts its tensors, observable on a grader that has only a CPU.

On a CPU-only machine a tensor created without ``device=`` lands on the right device by luck. PyTorch's ``meta``
device exists everywhere (tensors with a shape and no data): the runner calls the student's function with it
(:func:`on_meta`) and the judge requires every tensor that comes back to be there (:func:`expect_on_meta`). Code that
cannot run on the meta device at all (it reads values, ``.item()``) is judged on the real device only, unless its
error is a mix of devices, which is the mistake itself.
"""
from __future__ import annotations

import contextlib
from typing import Callable

import torch
from torch import nn

from autograder.toolkit.expect import expect

META = torch.device("meta")


def _devices(value, depth: int = 0) -> set[str]:
    if isinstance(value, torch.Tensor):
        return {value.device.type}
    if isinstance(value, nn.Module):
        return {t.device.type for t in [*value.parameters(), *value.buffers()]}
    if depth < 4 and isinstance(value, (list, tuple)):
        return set().union(*(_devices(v, depth + 1) for v in value)) if value else set()
    if depth < 4 and isinstance(value, dict):
        return set().union(*(_devices(v, depth + 1) for v in value.values())) if value else set()
    return set()


def _mixes_devices(error: BaseException) -> bool:
    text = str(error).lower()
    return "device" in text and "meta" in text and any(d in text for d in ("cpu", "cuda", "mps"))


def on_meta(call: Callable[[torch.device], object], reads_device_of: Callable | None = None) -> dict:
    """``call(torch.device("meta"))``: the device types of what it returned, or its error and whether that error
    is a mix of devices.

    ``reads_device_of``: a notebook function that may use the notebook's global ``device`` (``x.to(device)``,
    ``device=device``); that global is meta too while ``call`` runs, so such code is right on any grader and only a
    tensor made without a device shows.
    """
    from autograder.toolkit.steps import reference_helpers  # (steps imports nothing of this module)

    try:
        with reference_helpers(reads_device_of, device=META) if reads_device_of else contextlib.nullcontext():
            result = call(META)
    except Exception as error:  # the student's code, on a device it may not support
        return {"error": f"{type(error).__name__}: {str(error)[:300]}", "mixed": _mixes_devices(error)}
    return {"devices": sorted(_devices(result))}


def expect_on_meta(found, call: str, fix: str) -> None:
    """What :func:`on_meta` reported of ``call`` (as written in messages, with ``device`` meta): on meta only."""
    expect(isinstance(found, dict) and (isinstance(found.get("devices"), list) or isinstance(found.get("error"), str)),
           f"The grader could not tell where {call} puts its tensors.")
    if "devices" in found:
        devices = found["devices"]
        expect(all(isinstance(d, str) for d in devices), f"The grader could not tell where {call} puts its tensors.")
        expect(devices == ["meta"], f"{call} gave tensors on {', '.join(devices) or 'no device'}, not (only) on the "
               f"device it was asked for (meta, a device every computer has). {fix}")
        return
    expect(found.get("mixed") is not True, f"{call} mixes devices ({found['error']}): some tensor is made on the CPU "
           f"instead of the device it was asked for. {fix}")

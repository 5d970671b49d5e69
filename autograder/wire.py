"""The only format that crosses from a student's process to the judge: plain data, no code.

An answer is nested dicts (string keys), lists, strings, numbers, booleans, None and dense CPU tensors, written
with ``torch.save`` and read with ``torch.load(weights_only=True)``, whose unpickler builds only those types and
never calls anything the data names. :func:`loads` also caps the size, the nesting and the number of items, and
checks every value's exact type again, so an answer is data whatever wrote it.
"""
from __future__ import annotations

import io

import torch

MAX_BYTES = 256 * 2**20  # one problem's answer; a correct one is a few MB at most
MAX_ITEMS = 200_000
MAX_DEPTH = 24
MAX_STRING = 100_000
_SCALARS = (str, int, float, bool, type(None))


class BadAnswer(ValueError):
    """What the student's side sent is not plain data of this format (or too much of it)."""


def dumps(data) -> bytes:
    buffer = io.BytesIO()
    torch.save(data, buffer)
    return buffer.getvalue()


def loads(blob: bytes):
    """Plain data from ``blob``; :class:`BadAnswer` for anything else, never an object with behaviour."""
    if not isinstance(blob, (bytes, bytearray)):
        raise BadAnswer("not bytes")
    if len(blob) > MAX_BYTES:
        raise BadAnswer(f"{len(blob):,} bytes, more than the {MAX_BYTES:,} an answer may have")
    try:
        data = torch.load(io.BytesIO(blob), map_location="cpu", weights_only=True)
    except Exception as error:  # a truncated file, a forbidden type, a crafted pickle: all the same to the judge
        raise BadAnswer(f"unreadable ({type(error).__name__}: {str(error)[:200]})") from None
    validate(data)
    return data


def validate(data) -> None:
    count = [0]

    def visit(value, depth):
        count[0] += 1
        if count[0] > MAX_ITEMS or depth > MAX_DEPTH:
            raise BadAnswer("too many or too deeply nested items")
        kind = type(value)
        if kind in _SCALARS:
            if kind is str and len(value) > MAX_STRING:
                raise BadAnswer("a string longer than an answer needs")
        elif kind is torch.Tensor:
            if value.layout is not torch.strided or value.device.type != "cpu" or value.is_quantized:
                raise BadAnswer("a tensor that is not a plain CPU tensor")
        elif kind is dict:
            for key, item in value.items():
                if type(key) is not str:
                    raise BadAnswer("a dict key that is not a string")
                visit(item, depth + 1)
        elif kind in (list, tuple):
            for item in value:
                visit(item, depth + 1)
        else:
            raise BadAnswer(f"a value of type {kind.__name__}, which answers never hold")
    visit(data, 0)

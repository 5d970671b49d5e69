"""The formats that cross between the judge and a student's process: plain data, no code.

The judge's requests (a seed and a nonce per problem) go to the student's side as JSON (:func:`dump_requests`):
writing them needs no torch, so a grading's notebook starts before the judge has imported anything heavy.
An answer is nested dicts (string keys), lists, strings, numbers, booleans, None and dense CPU tensors, written
with ``torch.save`` and read with ``torch.load(weights_only=True)``, whose unpickler builds only those types and
never calls anything the data names. :func:`loads` also caps the size, the nesting and the number of items, and
checks every value's exact type again, so an answer is data whatever wrote it.
"""
from __future__ import annotations

import io
import json
import secrets

MAX_BYTES = 256 * 2**20  # one problem's answer; a correct one is a few MB at most
MAX_ITEMS = 200_000
MAX_DEPTH = 24
MAX_STRING = 100_000
_SCALARS = (str, int, float, bool, type(None))


ERROR = "__error__"  # the student's code raised: what and where (the judge shows it as the student's text)
NONCE = "__nonce__"  # echoed from the judge's inputs: an answer made for another grading is refused


def answer_file_name(check_id: str) -> str:
    """The file one problem's answer is written to, in the folder the judge reads."""
    return check_id.replace("::", "__") + ".answer"


class BadAnswer(ValueError):
    """What the student's side sent is not plain data of this format (or too much of it)."""


def new_inputs() -> dict:
    """What one grading of one problem is asked about: a fresh seed (memorised answers fail) and a nonce."""
    return {"seed": secrets.randbelow(2**31 - 1), "nonce": secrets.token_hex(12)}


def inputs_for(check_ids) -> dict[str, dict]:
    return {check_id: new_inputs() for check_id in check_ids}


def dump_requests(inputs: dict[str, dict]) -> bytes:
    return json.dumps(inputs).encode()


def load_requests(blob: bytes) -> dict[str, dict]:
    """The judge's requests: ``check id → {"seed": int, "nonce": str}``; :class:`BadAnswer` for anything else."""
    try:
        requests = json.loads(blob)
    except ValueError as error:
        raise BadAnswer(f"unreadable requests ({error})") from None
    if not isinstance(requests, dict) or not all(
            isinstance(k, str) and isinstance(v, dict) and type(v.get("seed")) is int and type(v.get("nonce")) is str
            for k, v in requests.items()):
        raise BadAnswer("requests that are not check ids with a seed and a nonce each")
    return requests


def dumps(data) -> bytes:
    import torch

    buffer = io.BytesIO()
    torch.save(data, buffer)
    return buffer.getvalue()


def loads(blob: bytes):
    """Plain data from ``blob``; :class:`BadAnswer` for anything else, never an object with behaviour."""
    if not isinstance(blob, (bytes, bytearray)):
        raise BadAnswer("not bytes")
    if len(blob) > MAX_BYTES:
        raise BadAnswer(f"{len(blob):,} bytes, more than the {MAX_BYTES:,} an answer may have")
    import torch

    try:
        data = torch.load(io.BytesIO(blob), map_location="cpu", weights_only=True)
    except Exception as error:  # a truncated file, a forbidden type, a crafted pickle: all the same to the judge
        raise BadAnswer(f"unreadable ({type(error).__name__}: {str(error)[:200]})") from None
    validate(data)
    return data


def validate(data) -> None:
    import torch

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

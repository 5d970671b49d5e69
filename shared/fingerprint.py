"""What produced a training run, as one hash: so a checkpoint is only resumed by the code that wrote it.

A student who fixes a step function and reruns the training cell must not get the old run back. The fingerprint
covers the source of the training function and of every notebook function and class it reaches (through its
globals, closures and defaults), the plain settings those hold (learning rates, sizes, flags), the networks'
layers and the optimisers' settings. Library code and the number of epochs are left out: a longer run of the
same code resumes, as after a disconnect.
"""
from __future__ import annotations

import functools
import hashlib
import inspect
import types

import torch

_PLAIN = (int, float, complex, str, bytes, bool, type(None))


def run_fingerprint(train_batch, models: dict | None = None, optimizers: dict | None = None, *hooks) -> str:
    """A short hash of everything above; equal for a rerun of the same cells with the same settings."""
    parts: list[str] = []
    seen: set[int] = set()
    for function in (train_batch, *hooks):
        if function is not None:
            _code(function, parts, seen, top=True)
    for name, model in sorted((models or {}).items()):
        parts.append(f"model {name}: {model!r}")
        _code(type(model), parts, seen)
    for name, optimizer in sorted((optimizers or {}).items()):
        settings = [{k: _plain(v) for k, v in group.items() if k != "params"} for group in optimizer.param_groups]
        parts.append(f"optimizer {name}: {type(optimizer).__name__} {settings}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def _notebook(obj) -> bool:
    return getattr(obj, "__module__", None) == "__main__"


def _code(obj, parts: list[str], seen: set[int], top: bool = False) -> None:
    if id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, functools.partial):
        parts.append(f"partial {[_plain(a) for a in obj.args]} {sorted((k, _plain(v)) for k, v in obj.keywords.items())}")
        obj = obj.func
    if isinstance(obj, types.MethodType):
        obj = obj.__func__
    if isinstance(obj, type):
        if _notebook(obj):
            parts.append(f"class {obj.__qualname__}({', '.join(b.__name__ for b in obj.__bases__)})")
            for name, member in sorted(vars(obj).items()):
                if isinstance(member, (types.FunctionType, staticmethod, classmethod, property)):
                    _code(getattr(member, "__func__", getattr(member, "fget", member)), parts, seen, top=True)
                elif isinstance(member, _PLAIN):
                    parts.append(f"{obj.__qualname__}.{name} = {member!r}")
        return
    if not isinstance(obj, types.FunctionType):
        if not isinstance(obj, torch.nn.Module) and _notebook(type(obj)):
            _code(type(obj), parts, seen)  # a callable object of a notebook class
        return
    if not (top or _notebook(obj)):
        return
    try:
        parts.append(inspect.getsource(obj))
    except (OSError, TypeError):
        parts.append(obj.__code__.co_code.hex())
    names = set()
    stack = [obj.__code__]
    while stack:
        code = stack.pop()
        names |= set(code.co_names)
        stack += [c for c in code.co_consts if isinstance(c, types.CodeType)]
    values = [(name, obj.__globals__[name]) for name in sorted(names) if name in obj.__globals__]
    values += [(f"closure {name}", cell.cell_contents) for name, cell
               in zip(obj.__code__.co_freevars, obj.__closure__ or ()) if _filled(cell)]
    values += [(f"default {i}", value) for i, value in enumerate(obj.__defaults__ or ())]
    values += [(f"default {name}", value) for name, value in sorted((obj.__kwdefaults__ or {}).items())]
    for name, value in values:
        if isinstance(value, _PLAIN) or (isinstance(value, tuple) and all(isinstance(v, _PLAIN) for v in value)):
            parts.append(f"{name} = {value!r}")
        elif isinstance(value, (types.FunctionType, types.MethodType, type)) or _notebook(type(value)):
            _code(value, parts, seen)


def _filled(cell) -> bool:
    try:
        cell.cell_contents
    except ValueError:
        return False
    return True


def _plain(value):
    """A setting as plain data: numbers and strings as they are, containers item by item, anything else by type."""
    if isinstance(value, torch.Tensor):
        return value.tolist() if value.numel() == 1 else f"tensor{tuple(value.shape)}"
    if isinstance(value, dict):
        return sorted((str(k), _plain(v)) for k, v in value.items())
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return value if isinstance(value, _PLAIN) else type(value).__name__

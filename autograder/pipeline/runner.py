"""The student's side of grading: call the notebook's functions on the judge's inputs, send back plain data.

Runs wherever the notebook runs (the sandboxed nbgrader kernel, the CLI's sandboxed notebook process). For each
problem it calls the homework's *probe* (``autograder/hwN_x/probes.py``, one function per problem), which calls
the student's code on inputs built from the judge's seed and records what came out: tensors, numbers, strings,
states of networks, event logs. Nothing here decides anything: whatever this process sends, the judge
(:mod:`autograder.pipeline.judge`) reads it as untrusted data (:mod:`autograder.pipeline.wire`) and computes the verdict itself.
Probes and this module hold no reference answers, so nothing the student's code can reach here gives one away.
"""
from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import traceback
import warnings

import torch

from autograder.pipeline import wire

from autograder.pipeline.wire import ERROR, NONCE, answer_file_name  # noqa: F401 (the answer's format, shared with the judge)

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # autograder/


class Opaque(dict):
    """Stand-in for a value that is not plain data (a module, a generator …): its type, for messages."""


def plain(value, depth: int = 0):
    """``value`` as plain data: tensors detached on the CPU, containers recursively, other objects by type name."""
    kind = type(value)
    if kind in (str, bool, type(None)):
        return value
    if kind is int:
        return value if abs(value) < 2**62 else float(value)
    if kind is float:
        return value
    if isinstance(value, torch.Tensor):
        if value.layout is not torch.strided or value.is_quantized:
            return {"__type__": f"torch.Tensor ({value.layout})"}
        if value.device.type == "meta":
            return {"__type__": "torch.Tensor", "device": "meta", "shape": list(value.shape),
                    "dtype": str(value.dtype)}
        tensor = value.detach().to("cpu")
        if type(tensor) is not torch.Tensor:  # a Parameter or another subclass: its data only
            tensor = tensor.as_subclass(torch.Tensor)
        return tensor.clone().contiguous()
    if depth < 8 and isinstance(value, dict):
        return {str(k): plain(v, depth + 1) for k, v in list(value.items())[:10_000]}
    if depth < 8 and isinstance(value, (list, tuple)):
        items = [plain(v, depth + 1) for v in list(value)[:10_000]]
        return tuple(items) if isinstance(value, tuple) else items
    try:  # numpy scalars and the like
        import numpy as np

        if isinstance(value, np.generic):
            return plain(value.item(), depth)
    except ImportError:
        pass
    return {"__type__": f"{type(value).__module__}.{type(value).__qualname__}".replace("builtins.", "")}


def state(module) -> dict:
    """A network's state dict as plain tensors (parameters and buffers)."""
    return {name: tensor.detach().to("cpu").clone() for name, tensor in module.state_dict().items()}


def grads(module) -> list:
    """Each parameter's ``.grad`` (None where there is none), in parameter order."""
    return [None if p.grad is None else p.grad.detach().to("cpu").clone() for p in module.parameters()]


def describe_error(error: BaseException) -> str:
    """The message a student sees for an error their code raised, with their own frames only."""
    if isinstance(error, AssertionError):
        text = str(error)
    else:
        text = f"{type(error).__name__}: {error}"
    library = (_PACKAGE_DIR, sys.prefix, sys.base_prefix)
    frames = [f for f in traceback.extract_tb(error.__traceback__)
              if not f.filename.startswith(library) and "site-packages" not in f.filename]
    if frames and not isinstance(error, AssertionError):
        text += "\nRaised in your code:\n" + "\n".join(f"  line {f.lineno}, in {f.name}: {f.line}" for f in frames[-3:])
    return text[:4000]


def answer(check_id: str, namespace, inputs: dict) -> dict:
    """Run one problem's probe on ``namespace`` (the notebook's names) with the judge's ``inputs``."""
    from autograder.pipeline.registry import probe_of
    from autograder.pipeline.student import Student
    from autograder.toolkit.tf32 import full_float32

    student = namespace if isinstance(namespace, Student) else Student(dict(namespace))
    out: dict = {NONCE: inputs.get("nonce")}
    rng = torch.random.get_rng_state()
    with _quiet(), _scratch_directory(), full_float32():  # a GPU answers in float32, as the judge computes
        try:
            probe_of(check_id)(student, dict(inputs), out)
        except BaseException as error:  # the student's code raised (SystemExit and KeyboardInterrupt too)
            out[ERROR] = describe_error(error)
        finally:
            torch.random.set_rng_state(rng)
    return plain(out)


def answer_bytes(check_id: str, namespace, inputs: dict) -> bytes:
    data = answer(check_id, namespace, inputs)
    try:
        return wire.dumps(data)
    except Exception as error:  # cannot happen for plain data; say so rather than send nothing
        return wire.dumps({NONCE: inputs.get("nonce"), ERROR: f"the answer could not be written ({error})"})


def write_answer(folder: str | os.PathLike, check_id: str, namespace, inputs: dict) -> None:
    """The answer file of one problem in ``folder`` (written whole, then renamed into place)."""
    blob = answer_bytes(check_id, namespace, inputs)
    path = os.path.join(os.fspath(folder), answer_file_name(check_id))
    fd, tmp = tempfile.mkstemp(dir=os.fspath(folder), prefix=".answer-")
    with os.fdopen(fd, "wb") as f:
        f.write(blob)
    os.replace(tmp, path)


@contextlib.contextmanager
def _scratch_directory():
    previous = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="gan-course-probe-") as tmp:
        os.chdir(tmp)
        try:
            yield
        finally:
            os.chdir(previous)


@contextlib.contextmanager
def _quiet():
    """Warnings, stderr and figures of the student's code stay out of the test cell's output."""
    with contextlib.redirect_stderr(sys.stdout), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pyplot = sys.modules.get("matplotlib.pyplot")
        before = set(pyplot.get_fignums()) if pyplot else set()
        show = pyplot.show if pyplot else None
        if pyplot:
            pyplot.show = lambda *args, **kwargs: None
        try:
            yield
        finally:
            pyplot = sys.modules.get("matplotlib.pyplot")
            if pyplot:
                if show is not None:
                    pyplot.show = show
                for number in set(pyplot.get_fignums()) - before:
                    pyplot.close(number)


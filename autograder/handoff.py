"""Handing a notebook's answers to the grader: its namespace, pickled by value, to one file.

The notebook side (:func:`write`) runs in the student's interpreter: it pickles each name with
cloudpickle (functions and classes the notebook defined travel by value; modules such as ``torch``
travel by name, so the grader gets its own pristine copy, whatever the notebook patched), and adds
the notebook's fingerprint (:mod:`autograder.tamper`) as evidence. The grader side (:func:`read`)
runs in a fresh check process and unpickles with a guard: an object of the grader's own
(``autograder.…``, e.g. a reference answer) or a call to ``os.system``-like functions is refused and
reported. Imports nothing heavy, so the sandboxed kernel can use it.
"""
from __future__ import annotations

import io
import os
import pickle
import tempfile

from . import tamper

FORMAT = "gan-course-handoff-1"
_SKIPPED = {"In", "Out", "get_ipython", "exit", "quit", "open"}
# Functions that run commands or code: an answer never holds them as values, a crafted pickle calls them.
_REFUSED = {("os", "system"), ("posix", "system"), ("nt", "system"), ("builtins", "exec"), ("builtins", "eval"),
            ("builtins", "compile"), ("builtins", "breakpoint"), ("pty", "spawn"), ("runpy", "run_path"),
            ("runpy", "run_module")}
_REFUSED_MODULES = ("subprocess", "ctypes")


def write(namespace, path: str | os.PathLike, cell_errors: dict[str, str] | None = None) -> list[str]:
    """Pickle the notebook's names into ``path``; returns the names that could not be pickled."""
    import cloudpickle

    items, unavailable = {}, {}
    for name, value in list(dict(namespace).items()):
        if name.startswith("_") or name in _SKIPPED:
            continue
        try:
            items[name] = cloudpickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as error:  # an open file, a live iterator, a lock: not an answer
            unavailable[name] = f"could not be handed to the grader ({type(error).__name__}: {error})"[:300]
    payload = {"format": FORMAT, "items": items, "unavailable": unavailable, "cell_errors": dict(cell_errors or {}),
               "fingerprint": tamper.fingerprint(), "environment": tamper.environment()}
    path = os.fspath(path)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)), prefix=".handoff-")
    with os.fdopen(fd, "wb") as f:
        pickle.dump(payload, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)  # a half-written hand-off is never read
    return sorted(unavailable)


class HandOff:
    """What the grader got: the names it could load, why others are missing, and what looks tampered."""

    def __init__(self, namespace, unavailable, cell_errors, refused, notebook_fingerprint, environment):
        self.namespace = namespace
        self.unavailable = unavailable
        self.cell_errors = cell_errors
        self.refused = refused  # reasons a name was refused (the grader's own code, a dangerous call)
        self.notebook_fingerprint = notebook_fingerprint
        self.environment = environment

    def install_in_main(self) -> None:
        """Make the names module-level names of ``__main__``, as they were in the notebook: classes the
        notebook defined then pickle by reference (``torch.save(model)`` behaves as it did there)."""
        import __main__

        for name, value in self.namespace.items():
            if not hasattr(__main__, name):
                setattr(__main__, name, value)


def read(path: str | os.PathLike) -> HandOff:
    """Load a hand-off written by :func:`write`, refusing the grader's own objects and dangerous calls."""
    with open(path, "rb") as f:
        return loads(f.read())


def loads(data: bytes) -> HandOff:
    """:func:`read` for the bytes of a hand-off file (read before the reader's sandbox closes)."""
    payload = _OuterUnpickler(io.BytesIO(data)).load()
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ValueError("not a hand-off file of this course's grader")
    namespace, unavailable, refused = {}, dict(payload.get("unavailable", {})), {}
    for name, blob in payload.get("items", {}).items():
        unpickler = _GuardedUnpickler(io.BytesIO(blob))
        try:
            namespace[name] = unpickler.load()
        except Exception as error:
            unavailable[name] = f"could not be loaded by the grader ({type(error).__name__}: {error})"[:300]
        if unpickler.refused:
            refused[name] = unpickler.refused[0]
            namespace.pop(name, None)
            unavailable[name] = unpickler.refused[0]
    return HandOff(namespace, unavailable, dict(payload.get("cell_errors", {})), refused,
                   dict(payload.get("fingerprint", {})), dict(payload.get("environment", {})))


class _OuterUnpickler(pickle.Unpickler):
    """The envelope holds only dicts, strings and bytes."""

    def find_class(self, module, name):
        raise pickle.UnpicklingError(f"unexpected object {module}.{name} in a hand-off file")


class _GuardedUnpickler(pickle.Unpickler):
    def __init__(self, file):
        super().__init__(file)
        self.refused: list[str] = []

    def _refuse(self, what: str, why: str):
        self.refused.append(f"uses {what}, {why}")
        raise pickle.UnpicklingError(f"{what} refused")

    def find_class(self, module, name):
        if module == "autograder" or module.startswith("autograder."):
            self._refuse(f"the grader's own `{module}.{name}`", "which is not part of your answer")
        if (module, name) in _REFUSED or module.split(".")[0] in _REFUSED_MODULES or (
                module in ("os", "posix") and name.startswith(("exec", "spawn", "posix_spawn", "fork"))):
            self._refuse(f"`{module}.{name}` while being loaded", "which an answer never needs")
        found = super().find_class(module, name)
        if module.startswith("cloudpickle") and name in ("subimport", "dynamic_subimport"):
            return self._guarded_import(found)
        return found

    def _guarded_import(self, subimport):
        def guarded(name, *args):
            if name != "autograder" and name.startswith("autograder."):
                self._refuse(f"the grader's module `{name}`", "which is not part of your answer")
            return subimport(name, *args)
        return guarded

"""What a grading's private cache folder starts with: copies of the grader's own caches.

A sandboxed notebook process gets a fresh, private cache folder (:func:`autograder.integrity.sandbox.private_environment`):
it may not write the grader's. Left empty, every grading would rebuild what the course library builds once per
machine: matplotlib's font list, and models that ``shared`` trains once and caches (HW5's MNIST classifier, about
5 s of a 20 s grading on 2 cores). :func:`fill` copies them in before the notebook starts; :func:`warm` builds
the models a homework names, in the grader's cache, while the first notebook runs. Copies only: nothing a student's process writes there comes back to the grader's cache.
"""
from __future__ import annotations

import importlib
import os
import shutil
import threading
from pathlib import Path

_WARMED: set[str] = set()
_LOCK = threading.Lock()


def grader_cache() -> Path:
    """The grader's own cache folder (``$XDG_CACHE_HOME`` or ``~/.cache``), as the course library finds it."""
    return Path(os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"))


def _matplotlib_cache() -> Path:
    # matplotlib's own rule (MPLCONFIGDIR, else the XDG cache), without importing it into the grader
    return Path(os.environ.get("MPLCONFIGDIR") or grader_cache() / "matplotlib")


def fill(tmp: str | os.PathLike) -> None:
    """Copy the grader's font list and cached models into a private folder laid out by ``private_environment``."""
    tmp = Path(tmp)
    copies = [(p, tmp / "matplotlib") for p in _matplotlib_cache().glob("fontlist-*.json")]
    copies += [(p, tmp / "cache" / "gan-course" / "models") for p in (grader_cache() / "gan-course" / "models").glob("*.pt")]
    for source, folder in copies:
        if source.is_file() and not source.is_symlink():
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, folder / source.name)


def warm(homework: str) -> None:
    """Build, once per machine, the cached models the homework's notebook loads (its grader package's
    ``warm_cache()``, where it has one), for the gradings that start after it. Run beside the first notebook,
    off its critical path; a failure is not the grading's business (each notebook then trains its own)."""
    with _LOCK:
        if homework in _WARMED:
            return
        _WARMED.add(homework)
        build = getattr(importlib.import_module(f"autograder.{homework}"), "warm_cache", None)
        if build is not None:
            try:
                build()
            except Exception:
                pass

"""Where datasets live.

Resolution order: an explicit ``root`` argument, then the ``GAN_COURSE_DATA`` environment
variable, then the user cache (``$XDG_CACHE_HOME/gan-course/data``, by default
``~/.cache/gan-course/data``). An explicit root or the variable names a *local copy* that is
only read, never downloaded into (that is how offline machines and CI work); the user cache
is where torchvision downloads to when you are online.
"""
from __future__ import annotations

import os
from pathlib import Path

DATA_ENV = "GAN_COURSE_DATA"


def user_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "gan-course" / "data"


def data_root(root: str | os.PathLike | None = None) -> tuple[Path, bool]:
    """Return ``(folder, may_download)`` for the given or configured data root."""
    if root is not None:
        return Path(root).expanduser(), False
    env = os.environ.get(DATA_ENV)
    if env:
        return Path(env).expanduser(), False
    return user_cache(), True


def describe_root(root: str | os.PathLike | None = None) -> str:
    folder, may_download = data_root(root)
    how = "download cache" if may_download else "local copy, no downloads"
    return f"{folder} ({how})"

"""Which Inception weights the metrics use: a local file (offline) or torch-fidelity's download."""
from __future__ import annotations

import functools
import os

import torch

WEIGHTS_ENV = "GAN_COURSE_INCEPTION_WEIGHTS"


def inception_weights(path: str | os.PathLike | None = None) -> str | None:
    """The local weights file to use, or None to let torch-fidelity download (and cache) its own.

    Order: the ``path`` argument, then ``GAN_COURSE_INCEPTION_WEIGHTS``. A configured file that does
    not exist is an error here, not a network timeout later.
    """
    source = "the weights argument" if path else WEIGHTS_ENV
    path = path or os.environ.get(WEIGHTS_ENV)
    if not path:
        return None
    path = os.path.expanduser(str(path))
    if not os.path.isfile(path):
        raise FileNotFoundError(
            f"Inception weights not found at {path} (from {source}). "
            f"Point {WEIGHTS_ENV} at a torch-fidelity Inception weights file "
            "(pt_inception-2015-12-05-6726825d.pth), or unset it to let torch-fidelity download the weights."
        )
    return path


@functools.lru_cache(maxsize=4)
def has_logits(path: str | None) -> bool:
    """Whether the weights can give class logits (the Inception Score needs them).

    torch-fidelity's downloaded weights can; a features-only conversion stores NaN in ``fc``.
    """
    if path is None:
        return True
    state = torch.load(path, map_location="cpu", weights_only=True)
    fc = state.get("fc.weight")
    return fc is not None and bool(torch.isfinite(fc).all())


def download_help(error: Exception) -> RuntimeError:
    return RuntimeError(
        f"torch-fidelity could not download the Inception weights ({type(error).__name__}: {error}). "
        f"Without a network, set {WEIGHTS_ENV} to a local weights file "
        "(pt_inception-2015-12-05-6726825d.pth, torch-fidelity's format) and run again."
    )

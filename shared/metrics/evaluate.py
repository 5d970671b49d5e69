"""FID, KID and IS of generated images against a real dataset, through torch-fidelity."""
from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import sys
import urllib.error
from typing import Callable

import torch

from ..device import get_device
from ..fastmode import UNGRADED_NOTE, pick, skips_ungraded
from ..progress import progress
from .convert import UInt8Images, to_uint8
from .result import Metrics, finite_or_none
from .weights import download_help, has_logits, inception_weights

NO_LOGITS = "the local Inception weights have no logits layer"
FID_FEATURES = (64, 192, 768, 2048)  # the Inception layers torch-fidelity can compute FID on


def generate_images(generator: Callable, n: int, z_dim: int, *, labels: torch.Tensor | None = None,
                    batch_size: int = 100, seed: int = 0, device=None) -> torch.Tensor:
    """``n`` images from ``generator(noise[, labels])`` with seeded standard-normal noise, on the CPU.

    Modules are put in eval mode while sampling and restored afterwards.
    """
    device = torch.device(device) if device is not None else _module_device(generator) or get_device()
    g = torch.Generator().manual_seed(seed)
    was_training = getattr(generator, "training", None)
    if was_training is not None:
        generator.eval()
    out = []
    try:
        with torch.no_grad():
            for start in progress(range(0, n, batch_size), desc="generating", leave=False):
                size = min(batch_size, n - start)
                z = torch.randn(size, z_dim, generator=g).to(device)
                args = (z,) if labels is None else (z, labels[start:start + size].to(device))
                images = generator(*args)
                if not isinstance(images, torch.Tensor) or images.ndim != 4 or len(images) != size:
                    raise ValueError(f"the generator should return N×C×H×W images; for {size} noise vectors it "
                                     f"returned {getattr(images, 'shape', type(images).__name__)}")
                out.append(images.float().cpu())
    finally:
        if was_training:
            generator.train()
    return torch.cat(out)


def evaluate(generated, reference, *, n: int | None = None, z_dim: int | None = None, labels=None,
             fid: bool = True, kid: bool = True, isc: bool = True, batch_size: int = 64, seed: int = 0,
             device=None, weights: str | os.PathLike | None = None, reference_name: str | None = None,
             fid_features: int | None = None) -> Metrics:
    """Evaluate generated images against real ones.

    ``generated``: a generator (a callable from N×z_dim noise, and optionally labels, to images in
    [-1, 1]; needs ``z_dim`` and ``n``), or a tensor of images in [-1, 1], or a dataset with
    ``.images``. ``reference``: a dataset from ``shared.data`` (or a tensor) of real images.
    ``n`` caps both sets. Reference statistics are cached on disk by torch-fidelity, keyed by the
    reference's name and size, so a second evaluation only pays for the generated images.
    IS is reported only where the weights have a logits layer.
    ``fid_features``: the Inception layer FID is computed on, 2048 (the standard FID) in full mode and
    64 in fast mode, where a handful of images makes any FID meaningless and the 2048-d one costs
    seconds of linear algebra per call; the printed result names a layer other than 2048.
    """
    fid_features = pick(2048, 64) if fid_features is None else int(fid_features)
    if fid_features not in FID_FEATURES:
        raise ValueError(f"fid_features={fid_features}: torch-fidelity computes FID on "
                         f"{', '.join(map(str, FID_FEATURES))}-d Inception features")

    if callable(generated) and not isinstance(generated, torch.Tensor):
        if z_dim is None or n is None:
            raise ValueError("to evaluate a generator, pass z_dim (its noise size) and n (how many images)")
        fake = generate_images(generated, n, z_dim, labels=labels, seed=seed, device=device)
    else:
        fake = getattr(generated, "images", generated)
        fake = fake[:n] if n is not None else fake
    real = getattr(reference, "images", reference)
    real = real[:n] if n is not None else real
    fake_u8, real_u8 = to_uint8(fake), to_uint8(real)

    if skips_ungraded():
        return Metrics(fid=None, kid_mean=None, kid_std=None, is_mean=None, is_std=None, n_generated=len(fake_u8),
                       n_reference=len(real_u8), reference=getattr(reference, "source", "given images"),
                       fid_features=fid_features, skipped=UNGRADED_NOTE)
    import torch_fidelity

    weights_path = inception_weights(weights)
    compute_is = isc and has_logits(weights_path)
    unavailable = NO_LOGITS if isc and not compute_is else None
    name = reference_name or _reference_name(reference, len(real_u8))
    kwargs = dict(
        input1=UInt8Images(fake_u8), input2=UInt8Images(real_u8), fid=fid, kid=kid, isc=compute_is,
        feature_layer_fid=str(fid_features),
        batch_size=batch_size, cuda=_device(device).type == "cuda", feature_extractor_weights_path=weights_path,
        # Subsets smaller than the sets, so that KID's ± is meaningful on small evaluations too.
        kid_subset_size=max(2, min(1000, len(fake_u8) // 2, len(real_u8) // 2)), isc_splits=min(10, len(fake_u8)),
        cache=name is not None, input2_cache_name=name, verbose=True, rng_seed=seed,
        save_cpu_ram=True,  # no loader worker processes: the images are already in memory
    )
    try:
        # torch-fidelity reports on stderr: its progress bar over the Inception features is shown, its other
        # lines are not. Its NumPy linear algebra (FID's 2048×2048 eigenvalues, KID's kernels) runs on one BLAS
        # thread: see _one_blas_thread.
        with contextlib.redirect_stderr(_FeatureProgressOnly(sys.stderr)), contextlib.redirect_stdout(io.StringIO()), \
                _one_blas_thread():
            raw = torch_fidelity.calculate_metrics(**kwargs)
    except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
        if weights_path is None:
            raise download_help(error) from error
        raise
    is_mean = finite_or_none(raw.get("inception_score_mean"))
    if compute_is and is_mean is None:
        unavailable = "the Inception network returned NaN"
    return Metrics(
        fid=finite_or_none(raw.get("frechet_inception_distance")),
        kid_mean=finite_or_none(raw.get("kernel_inception_distance_mean")),
        kid_std=finite_or_none(raw.get("kernel_inception_distance_std")),
        is_mean=is_mean,
        is_std=finite_or_none(raw.get("inception_score_std")) if is_mean is not None else None,
        n_generated=len(fake_u8), n_reference=len(real_u8),
        reference=getattr(reference, "source", "given images"), is_unavailable=unavailable,
        fid_features=fid_features,
    )


class _FeatureProgressOnly(io.TextIOBase):
    """A stderr that passes on torch-fidelity's progress bar over the images' Inception features (the slow part)
    and drops its other messages."""

    BAR = "Processing samples"

    def __init__(self, stream):
        self.stream = stream

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if (self.BAR in text and "|" in text) or ("\r" in text and "\n" not in text and not text.strip(" \r\x1b[A")):  # bar, clear
            self.stream.write(text.replace(self.BAR, "Inception features"))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()


def _one_blas_thread():
    """Limit NumPy's BLAS/LAPACK to one thread (PyTorch's own threads are untouched).

    FID's eigenvalues of a 2048×2048 matrix cost about 2 s whatever the number of images, and on a
    shared or busy CPU OpenBLAS's spinning threads make them 4–8 times slower (14–35 s measured on a
    loaded 2-core machine, against 3–4 s on one thread). The numbers are the same either way.
    """
    try:
        from threadpoolctl import threadpool_limits  # installed with scikit-learn
    except ImportError:  # pragma: no cover
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def _device(device) -> torch.device:
    return torch.device(device) if device is not None else get_device()


def _module_device(generator):
    params = getattr(generator, "parameters", None)
    if params is None:
        return None
    first = next(iter(params()), None)
    return first.device if first is not None else None


def _reference_name(reference, n: int) -> str | None:
    """A cache key for a named dataset: readable, unique per source and size (None: do not cache)."""
    source = getattr(reference, "source", None)
    if source is None:
        return None
    digest = hashlib.sha1(source.encode()).hexdigest()[:10]
    slug = re.sub(r"[^A-Za-z0-9]+", "-", source).strip("-")[:40]
    return f"gan-course-{slug}-{n}-{digest}"

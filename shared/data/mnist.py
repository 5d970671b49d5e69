"""MNIST as an in-memory dataset in [-1, 1], online through torchvision or offline from local files."""
from __future__ import annotations

import gzip
import os
import sys
from pathlib import Path

import torch

from .root import data_root
from .tensors import ImageTensorDataset, from_uint8

CLASSES = [str(i) for i in range(10)]
FILES = {
    True: ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    False: ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}


def load_mnist(train: bool = True, root: str | os.PathLike | None = None, verbose: bool = True) -> ImageTensorDataset:
    """MNIST images 1×28×28 in [-1, 1] with labels 0–9.

    With no root configured, torchvision downloads MNIST into the user cache. With a local
    root (argument or ``GAN_COURSE_DATA``), the files are read from ``<root>/mnist/MNIST/raw``
    (torchvision's layout, ``.gz`` or uncompressed) and nothing is downloaded. If the training
    images are missing there but the test files exist, the 10,000 test images stand in for
    the training set and a notice says so.
    """
    folder, may_download = data_root(root)
    mnist_root = folder / "mnist"
    if may_download:
        dataset = _torchvision_mnist(mnist_root, train)
    else:
        dataset = _local_mnist(mnist_root / "MNIST" / "raw", train)
    if verbose:
        print(f"Loaded {dataset!r}")
    return dataset


def _torchvision_mnist(root: Path, train: bool) -> ImageTensorDataset:
    from torchvision.datasets import MNIST

    split = "train" if train else "test"
    ds = MNIST(str(root), train=train, download=True)
    return from_uint8(ds.data, ds.targets, CLASSES, f"MNIST {split} (torchvision, {root})")


def _local_mnist(raw: Path, train: bool) -> ImageTensorDataset:
    split = "train" if train else "test"
    if _has_split(raw, train):
        return _read_split(raw, train, f"MNIST {split} (local copy, {raw})")
    if train and _has_split(raw, False):
        missing = [name for name in FILES[True] if _find(raw, name) is None]
        print(
            f"NOTE: the MNIST training files {', '.join(missing)} are not in {raw}; "
            "using the 10,000 MNIST TEST images as the training set.",
            file=sys.stdout,
        )
        return _read_split(raw, False, f"MNIST test set standing in for training (local copy, {raw})")
    raise FileNotFoundError(
        f"MNIST {split} files were not found in {raw}. Expected {' and '.join(FILES[train])} "
        "(.gz or uncompressed) in torchvision's layout <root>/mnist/MNIST/raw. Either unset "
        "GAN_COURSE_DATA (and pass no root) so that torchvision downloads MNIST into the user "
        "cache, or point GAN_COURSE_DATA at a folder holding those files."
    )


def _find(raw: Path, name: str) -> Path | None:
    for candidate in (raw / name, raw / f"{name}.gz"):
        if candidate.is_file():
            return candidate
    return None


def _has_split(raw: Path, train: bool) -> bool:
    return all(_find(raw, name) is not None for name in FILES[train])


def _read_idx(path: Path) -> torch.Tensor:
    from torchvision.datasets.mnist import read_sn3_pascalvincent_tensor

    if path.suffix == ".gz":
        # torchvision's reader takes a path to an uncompressed file; decompress through memory.
        import tempfile

        with gzip.open(path, "rb") as src, tempfile.NamedTemporaryFile(suffix=".idx", delete=False) as dst:
            dst.write(src.read())
        try:
            return read_sn3_pascalvincent_tensor(dst.name, strict=False)
        finally:
            os.unlink(dst.name)
    return read_sn3_pascalvincent_tensor(str(path), strict=False)


def _read_split(raw: Path, train: bool, source: str) -> ImageTensorDataset:
    images_file, labels_file = (_find(raw, name) for name in FILES[train])
    pixels = _read_idx(images_file)
    labels = _read_idx(labels_file)
    if pixels.ndim != 3 or pixels.shape[1:] != (28, 28) or len(pixels) != len(labels):
        raise ValueError(f"{images_file} does not hold MNIST images (shape {tuple(pixels.shape)})")
    return from_uint8(pixels, labels, CLASSES, source)

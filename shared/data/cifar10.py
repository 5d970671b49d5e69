"""CIFAR-10 as an in-memory dataset in [-1, 1], online through torchvision or offline from local files."""
from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path

import numpy as np
import torch

from .folder import class_folders
from .root import data_root
from .tensors import ImageTensorDataset, from_uint8

CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
BATCHES = "cifar-10-batches-py"
JPEG_COPY = "cifar10_test_jpeg"


def load_cifar10(
    train: bool = False,
    root: str | os.PathLike | None = None,
    per_class: int | None = None,
    verbose: bool = True,
) -> ImageTensorDataset:
    """CIFAR-10 images 3×32×32 in [-1, 1] with labels 0–9 (``classes`` names them).

    With no root configured, torchvision downloads CIFAR-10 into the user cache. With a local
    root (argument or ``GAN_COURSE_DATA``) nothing is downloaded: torchvision's layout
    ``<root>/cifar10/cifar-10-batches-py`` is read if present, otherwise the JPEG copy of the
    test set ``<root>/cifar10_test_jpeg/<class>/NNNN.jpg``, which stands in for the training
    set when ``train`` is true (a notice says so). ``per_class=k`` keeps the first k images
    of each class.
    """
    if per_class is not None and per_class < 1:
        raise ValueError(f"per_class must be a positive number of images per class, got {per_class}")
    folder, may_download = data_root(root)
    if may_download:
        dataset = _torchvision_cifar10(folder / "cifar10", train, per_class, download=True)
    elif (folder / "cifar10" / BATCHES).is_dir():
        dataset = _torchvision_cifar10(folder / "cifar10", train, per_class, download=False)
    elif (folder / JPEG_COPY).is_dir():
        dataset = _jpeg_copy(folder / JPEG_COPY, train, per_class)
    else:
        raise FileNotFoundError(
            f"CIFAR-10 was not found in {folder}. Expected torchvision's layout "
            f"<root>/cifar10/{BATCHES} or the JPEG copy of the test set "
            f"<root>/{JPEG_COPY}/<class>/NNNN.jpg (one folder per class: {', '.join(CLASSES)}). "
            "Either unset GAN_COURSE_DATA (and pass no root) so that torchvision downloads "
            "CIFAR-10 into the user cache, or point GAN_COURSE_DATA at a folder holding one of those."
        )
    if verbose:
        print(f"Loaded {dataset!r}")
    return dataset


def _torchvision_cifar10(root: Path, train: bool, per_class: int | None, download: bool) -> ImageTensorDataset:
    from torchvision.datasets import CIFAR10

    split = "train" if train else "test"
    how = "torchvision" if download else "local copy"
    ds = CIFAR10(str(root), train=train, download=download)
    # torchvision keeps N×32×32×3 (HWC); contiguous CHW keeps .view() and conv layers fast.
    pixels = torch.from_numpy(np.asarray(ds.data)).permute(0, 3, 1, 2).contiguous()
    labels = torch.as_tensor(ds.targets, dtype=torch.long)
    source = f"CIFAR-10 {split} ({how}, {root})"
    if per_class is not None:
        keep = _first_per_class(labels, per_class)
        pixels, labels = pixels[keep], labels[keep]
        source += f", first {per_class} per class"
    return from_uint8(pixels, labels, CLASSES, source)


def _first_per_class(labels: torch.Tensor, k: int) -> torch.Tensor:
    """Indices of the first ``k`` examples of each class, in dataset order."""
    keep = torch.cat([torch.nonzero(labels == c).flatten()[:k] for c in range(len(CLASSES))])
    return keep.sort().values


def _jpeg_copy(folder: Path, train: bool, per_class: int | None) -> ImageTensorDataset:
    # The folders must match exactly: the label of a folder is its position in CIFAR-10's class order.
    found = class_folders(folder)
    if found != CLASSES:
        raise ValueError(
            f"{folder} should hold exactly one folder per CIFAR-10 class ({', '.join(CLASSES)}), "
            f"found: {', '.join(found) or 'no folders'}"
        )
    files, labels = [], []
    for label, name in enumerate(CLASSES):
        # Only the kept files are decoded: per_class exists to make fast mode fast.
        paths = sorted((folder / name).glob("*.jpg"))[:per_class]
        if not paths:
            raise FileNotFoundError(f"the CIFAR-10 class folder {folder / name} holds no .jpg images")
        files += paths
        labels += [label] * len(paths)
    with warnings.catch_warnings():
        # torchvision 0.29 deprecates its image codecs and warns on every call (10,000 here);
        # they still work, and decode twice as fast as PIL with identical pixels.
        warnings.filterwarnings("ignore", "The image decoding and encoding", DeprecationWarning)
        pixels = torch.stack([_decode(path) for path in files])
    source = f"CIFAR-10 test set (JPEG copy) from {folder}"
    if train:
        print(
            f"NOTE: there is no CIFAR-10 training set in {folder.parent}; "
            "using the CIFAR-10 TEST images (JPEG copy) as the training set.",
            file=sys.stdout,
        )
        source = f"CIFAR-10 test set (JPEG copy) standing in for training, from {folder}"
    if per_class is not None:
        source += f", first {per_class} per class"
    return from_uint8(pixels, torch.tensor(labels), CLASSES, source)


def _decode(path: Path) -> torch.Tensor:
    from torchvision.io import ImageReadMode, decode_image, read_file

    try:
        image = decode_image(read_file(str(path)), mode=ImageReadMode.RGB)
    except RuntimeError as err:
        raise ValueError(f"cannot decode the JPEG image {path}: {err}") from err
    if image.shape != (3, 32, 32):
        raise ValueError(f"{path} is {image.shape[2]}×{image.shape[1]}, not a 32×32 CIFAR-10 image")
    return image

"""Your own images as an in-memory dataset in [-1, 1]: one sub-folder per class, any image size."""
from __future__ import annotations

import os
from pathlib import Path

import torch

from .tensors import ImageTensorDataset, from_uint8

EXTENSIONS = (".bmp", ".jpeg", ".jpg", ".png")


def class_folders(folder: Path) -> list[str]:
    """The sorted names of the class sub-folders; hidden ones (.ipynb_checkpoints, ...) are not classes."""
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def load_image_folder(
    path: str | os.PathLike, size: int = 32, channels: int = 1, verbose: bool = True
) -> ImageTensorDataset:
    """Images from ``path/<class>/*.{png,jpg,jpeg,bmp}`` as C×size×size in [-1, 1].

    ``channels=1`` converts to grayscale, ``channels=3`` to RGB. Every image is resized to
    size×size with antialiasing (typically 28, 32 or 64; the aspect ratio is not kept).
    ``classes`` are the sorted folder names and a label is its folder's position there.
    """
    if channels not in (1, 3):
        raise ValueError(f"channels must be 1 (grayscale) or 3 (RGB), got {channels}")
    if size < 8:
        raise ValueError(f"size must be at least 8 pixels (typically 28, 32 or 64), got {size}")
    folder = Path(path).expanduser()
    if not folder.is_dir():
        raise FileNotFoundError(f"the image folder {folder} does not exist or is not a folder")
    classes = class_folders(folder)
    if not classes:
        raise FileNotFoundError(
            f"{folder} has no class folders: put the images of each class in a sub-folder "
            f"named after the class, e.g. {folder / 'cats' / '001.png'}"
        )
    pixels, labels = [], []
    for label, name in enumerate(classes):
        files = _image_files(folder / name)
        if not files:
            raise FileNotFoundError(f"the class folder {folder / name} holds no images ({', '.join(EXTENSIONS)})")
        pixels += [_read(file, size, channels) for file in files]
        labels += [label] * len(files)
    dataset = from_uint8(torch.stack(pixels), torch.tensor(labels), classes, f"image folder {folder}")
    if verbose:
        print(f"Loaded {dataset!r} in {len(classes)} classes ({', '.join(classes)})")
    return dataset


def _image_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in EXTENSIONS)


def _read(path: Path, size: int, channels: int) -> torch.Tensor:
    """One image file → uint8 channels×size×size."""
    # PIL rather than torchvision.io: it reads BMP too, and palette or alpha PNGs convert cleanly.
    from PIL import Image, ImageOps, UnidentifiedImageError
    from torchvision.transforms import functional as F

    try:
        with Image.open(path) as image:
            # Photos from phones store their rotation in EXIF; apply it so nothing lies on its side.
            image = ImageOps.exif_transpose(image).convert("L" if channels == 1 else "RGB")
    except (UnidentifiedImageError, OSError) as err:
        raise ValueError(f"cannot read the image {path}: {err}") from err
    return F.resize(F.pil_to_tensor(image), [size, size], antialias=True)

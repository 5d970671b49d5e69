"""CIFAR-10 loading (torchvision's path, the local JPEG copy) and the generic class-folder loader."""
from __future__ import annotations

import os

import numpy as np
import pytest
import torch
from torchvision.io import encode_jpeg, encode_png, write_file

from shared.data import load_cifar10, load_image_folder
from shared.data.cifar10 import CLASSES

# torchvision 0.29 deprecates the image codecs these tests use to write their fixtures.
pytestmark = pytest.mark.filterwarnings("ignore:The image decoding and encoding:DeprecationWarning")

OFFICIAL_ORDER = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]


def _fake_jpeg_copy(root, n=3, classes=OFFICIAL_ORDER):
    """``n`` flat-coloured JPEGs per class; image i of class c has grey level 20·c + 5·i."""
    copy = root / "cifar10_test_jpeg"
    for c, name in enumerate(classes):
        (copy / name).mkdir(parents=True)
        for i in range(n):
            pixels = torch.full((3, 32, 32), 20 * c + 5 * i, dtype=torch.uint8)
            write_file(str(copy / name / f"{i:04d}.jpg"), encode_jpeg(pixels, quality=95))
    return copy


def _grey_levels(ds):
    return ((ds.images.mean((1, 2, 3)) + 1) * 127.5).round().long().tolist()


def test_classes_are_cifar10s_official_order():
    assert CLASSES == OFFICIAL_ORDER


def test_jpeg_copy_loads_and_normalises(tmp_path):
    _fake_jpeg_copy(tmp_path)
    ds = load_cifar10(root=tmp_path, verbose=False)
    assert ds.images.shape == (30, 3, 32, 32) and ds.images.dtype == torch.float32
    assert ds.images.min() >= -1 and ds.images.max() <= 1
    assert ds.labels.tolist() == [c for c in range(10) for _ in range(3)]
    assert ds.classes == OFFICIAL_ORDER and "CIFAR-10 test set (JPEG copy)" in ds.source
    # Files are read in name order within each class (JPEG shifts a flat grey by at most 1).
    expected = [20 * c + 5 * i for c in range(10) for i in range(3)]
    assert all(abs(a - b) <= 1 for a, b in zip(_grey_levels(ds), expected))
    image, label = ds[4]
    assert image.shape == (3, 32, 32) and label == 1


def test_per_class_keeps_the_first_images_of_each_class(tmp_path):
    _fake_jpeg_copy(tmp_path)
    ds = load_cifar10(root=tmp_path, per_class=2, verbose=False)
    assert len(ds) == 20 and ds.labels.tolist() == [c for c in range(10) for _ in range(2)]
    expected = [20 * c + 5 * i for c in range(10) for i in range(2)]
    assert all(abs(a - b) <= 1 for a, b in zip(_grey_levels(ds), expected))
    with pytest.raises(ValueError, match="per_class"):
        load_cifar10(root=tmp_path, per_class=0, verbose=False)


def test_test_copy_stands_in_for_training_with_a_note(tmp_path, capsys):
    _fake_jpeg_copy(tmp_path, n=1)
    ds = load_cifar10(train=True, root=tmp_path)
    out = capsys.readouterr().out
    assert "NOTE" in out and "CIFAR-10 TEST images (JPEG copy)" in out and "training set" in out
    assert "standing in for training" in ds.source and len(ds) == 10
    load_cifar10(train=False, root=tmp_path, verbose=False)
    assert "NOTE" not in capsys.readouterr().out


def test_wrong_class_folders_give_a_clear_error(tmp_path):
    _fake_jpeg_copy(tmp_path, n=1, classes=OFFICIAL_ORDER[:9] + ["lorry"])
    with pytest.raises(ValueError, match="one folder per CIFAR-10 class.*lorry"):
        load_cifar10(root=tmp_path, verbose=False)


def test_missing_data_gives_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("GAN_COURSE_DATA", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="GAN_COURSE_DATA") as info:
        load_cifar10()
    assert "cifar-10-batches-py" in str(info.value) and "cifar10_test_jpeg" in str(info.value)


class _FakeCIFAR10:
    """Stands in for torchvision's CIFAR10: 6 images (HWC uint8), labels 2, 0, 1, 2, 0, 1."""

    calls: list = []

    def __init__(self, root, train, download):
        self.calls.append({"root": root, "train": train, "download": download})
        self.data = np.zeros((6, 32, 32, 3), dtype=np.uint8)
        self.data[:, :, :, 0] = 255  # red channel: checks that HWC becomes CHW
        self.data[:, 0, 0, 1] = np.arange(6)  # marks each image
        self.targets = [2, 0, 1, 2, 0, 1]


@pytest.fixture
def fake_cifar10(monkeypatch):
    import torchvision.datasets

    monkeypatch.setattr(_FakeCIFAR10, "calls", [])
    monkeypatch.setattr(torchvision.datasets, "CIFAR10", _FakeCIFAR10)
    return _FakeCIFAR10


def test_without_a_root_torchvision_downloads_into_the_user_cache(tmp_path, monkeypatch, fake_cifar10):
    monkeypatch.delenv("GAN_COURSE_DATA", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    ds = load_cifar10(train=True, verbose=False)
    root = str(tmp_path / "gan-course" / "data" / "cifar10")
    assert fake_cifar10.calls == [{"root": root, "train": True, "download": True}]
    assert ds.images.shape == (6, 3, 32, 32) and ds.images.is_contiguous()
    assert (ds.images[:, 0] == 1).all() and (ds.images[:, 2] == -1).all()
    assert ds.labels.tolist() == [2, 0, 1, 2, 0, 1] and ds.classes == OFFICIAL_ORDER

    # per_class keeps the first image of each class, in the dataset's order.
    ds = load_cifar10(per_class=1, verbose=False)
    marks = ((ds.images[:, 1, 0, 0] + 1) * 127.5).round().long().tolist()
    assert ds.labels.tolist() == [2, 0, 1] and marks == [0, 1, 2]


def test_a_local_torchvision_copy_is_read_without_downloading(tmp_path, fake_cifar10):
    (tmp_path / "cifar10" / "cifar-10-batches-py").mkdir(parents=True)
    _fake_jpeg_copy(tmp_path, n=1)  # torchvision's layout wins over the JPEG copy
    ds = load_cifar10(train=False, root=tmp_path, verbose=False)
    assert fake_cifar10.calls == [{"root": str(tmp_path / "cifar10"), "train": False, "download": False}]
    assert len(ds) == 6 and "local copy" in ds.source


@pytest.mark.skipif(not os.environ.get("GAN_COURSE_DATA"), reason="needs the offline copy (GAN_COURSE_DATA)")
def test_real_offline_copy():
    ds = load_cifar10(train=False, per_class=20, verbose=False)
    assert ds.images.shape == (200, 3, 32, 32) and ds.classes == OFFICIAL_ORDER
    assert ds.labels.bincount().tolist() == [20] * 10
    means = ((ds.images + 1) / 2).mean((0, 2, 3))  # back to [0, 1]: fractions of 255
    assert torch.allclose(means, torch.tensor([0.49, 0.48, 0.45]), atol=0.05), means
    assert means[0] - means[2] > 0.02, f"red should be brighter than blue (channels swapped?): {means}"


def _png(path, pixels: torch.Tensor):
    path.parent.mkdir(parents=True, exist_ok=True)
    write_file(str(path), encode_png(pixels))


def _folder_tree(root):
    """cats: a white RGB 40×50 and a black grey 20×20; dogs: one pure-red RGB 64×64 (+ junk)."""
    red = torch.zeros((3, 64, 64), dtype=torch.uint8)
    red[0] = 255
    _png(root / "dogs" / "c.PNG", red)  # made first, so that listing order differs from sorted order
    _png(root / "cats" / "b.png", torch.zeros((1, 20, 20), dtype=torch.uint8))
    _png(root / "cats" / "a.png", torch.full((3, 50, 40), 255, dtype=torch.uint8))
    (root / "dogs" / "notes.txt").write_text("not an image")
    (root / ".ipynb_checkpoints").mkdir()
    return root


@pytest.mark.parametrize("channels", [1, 3])
def test_image_folder_loads_mixed_sizes(tmp_path, channels):
    ds = load_image_folder(_folder_tree(tmp_path), size=28, channels=channels, verbose=False)
    assert ds.images.shape == (3, channels, 28, 28) and ds.images.dtype == torch.float32
    assert ds.classes == ["cats", "dogs"] and ds.labels.tolist() == [0, 0, 1]
    assert (ds.images[0] == 1).all() and (ds.images[1] == -1).all()
    red = (ds.images[2] + 1) * 127.5
    if channels == 3:
        assert torch.allclose(red[:, 10, 10], torch.tensor([255.0, 0.0, 0.0]), atol=1)
    else:  # grayscale keeps the luminance of red: 0.299 · 255 ≈ 76
        assert abs(red.mean().item() - 76) <= 2


def test_image_folder_classes_and_files_are_in_sorted_order(tmp_path):
    # Created in neither sorted nor reverse order, so the file system's listing order is unlikely sorted.
    names = ["eels", "ants", "zebra", "cats", "dogs", "birds"]
    for k, name in enumerate(names):
        for file in ("b.png", "a.png"):
            level = 40 * k + (20 if file == "b.png" else 0)
            _png(tmp_path / name / file, torch.full((1, 8, 8), level, dtype=torch.uint8))
    ds = load_image_folder(tmp_path, size=8, verbose=False)
    assert ds.classes == sorted(names) and ds.labels.tolist() == [c for c in range(6) for _ in range(2)]
    expected = [40 * names.index(name) + offset for name in sorted(names) for offset in (0, 20)]
    assert _grey_levels(ds) == expected


def test_image_folder_reads_jpeg_and_bmp(tmp_path):
    from PIL import Image

    (tmp_path / "x").mkdir()
    Image.new("RGB", (10, 12), (0, 0, 255)).save(tmp_path / "x" / "a.bmp")
    write_file(str(tmp_path / "x" / "b.jpeg"), encode_jpeg(torch.full((3, 9, 9), 128, dtype=torch.uint8)))
    ds = load_image_folder(tmp_path, size=8, channels=3, verbose=False)
    assert ds.images.shape == (2, 3, 8, 8)
    assert (ds.images[0, 2] == 1).all() and (ds.images[0, 0] == -1).all()


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"channels": 2}, ValueError, "channels must be 1"),
        ({"size": 7}, ValueError, "size must be at least 8"),
    ],
)
def test_image_folder_rejects_bad_arguments(tmp_path, kwargs, error, message):
    with pytest.raises(error, match=message):
        load_image_folder(_folder_tree(tmp_path), verbose=False, **kwargs)


def test_image_folder_errors_on_missing_or_empty_folders(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_image_folder(tmp_path / "nowhere", verbose=False)
    _png(tmp_path / "flat" / "a.png", torch.zeros((1, 8, 8), dtype=torch.uint8))
    with pytest.raises(FileNotFoundError, match="no class folders"):
        load_image_folder(tmp_path / "flat", verbose=False)
    _png(tmp_path / "tree" / "cats" / "a.png", torch.zeros((1, 8, 8), dtype=torch.uint8))
    (tmp_path / "tree" / "dogs").mkdir()
    with pytest.raises(FileNotFoundError, match="dogs holds no images"):
        load_image_folder(tmp_path / "tree", verbose=False)


def test_image_folder_names_an_unreadable_image(tmp_path):
    (tmp_path / "cats").mkdir()
    (tmp_path / "cats" / "broken.png").write_bytes(b"not a png")
    with pytest.raises(ValueError, match="broken.png"):
        load_image_folder(tmp_path, verbose=False)

"""MNIST loading: torchvision's download path, local copies, and the test set standing in offline."""
from __future__ import annotations

import gzip
import os

import numpy as np
import pytest
import torch

from shared.data import load_mnist, take


def _write_idx(path, array: np.ndarray, gz: bool):
    header = bytes([0, 0, 8, array.ndim]) + b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    data = header + array.astype(np.uint8).tobytes()
    if gz:
        with gzip.open(str(path) + ".gz", "wb") as f:
            f.write(data)
    else:
        path.write_bytes(data)


def _fake_raw(root, splits=("t10k",), gz=True, n=5):
    raw = root / "mnist" / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for split in splits:
        pixels = np.arange(n * 784).reshape(n, 28, 28) % 256
        _write_idx(raw / f"{split}-images-idx3-ubyte", pixels, gz)
        _write_idx(raw / f"{split}-labels-idx1-ubyte", np.arange(n) % 10, gz)
    return raw


@pytest.mark.parametrize("gz", [True, False])
def test_local_copy_loads_and_normalises(tmp_path, gz):
    _fake_raw(tmp_path, ("train", "t10k"), gz=gz)
    ds = load_mnist(train=True, root=tmp_path, verbose=False)
    assert ds.images.shape == (5, 1, 28, 28) and ds.images.dtype == torch.float32
    assert ds.images.min() == -1 and ds.images.max() == 1
    assert ds.labels.tolist() == [0, 1, 2, 3, 4] and "MNIST train" in ds.source
    image, label = ds[2]
    assert image.shape == (1, 28, 28) and label == 2


def test_test_set_stands_in_for_missing_training_images(tmp_path, capsys):
    _fake_raw(tmp_path, ("t10k",))
    ds = load_mnist(train=True, root=tmp_path)
    out = capsys.readouterr().out
    assert "TEST images as the training set" in out and "standing in for training" in ds.source
    assert len(ds) == 5


def test_missing_files_give_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("GAN_COURSE_DATA", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="GAN_COURSE_DATA"):
        load_mnist(train=False)


def test_without_a_root_torchvision_downloads_into_the_user_cache(tmp_path, monkeypatch):
    monkeypatch.delenv("GAN_COURSE_DATA", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    calls = {}

    class FakeMNIST:
        def __init__(self, root, train, download):
            calls.update(root=root, train=train, download=download)
            self.data = torch.zeros(3, 28, 28, dtype=torch.uint8)
            self.targets = torch.tensor([1, 2, 3])

    import torchvision.datasets

    monkeypatch.setattr(torchvision.datasets, "MNIST", FakeMNIST)
    ds = load_mnist(train=True, verbose=False)
    assert calls == {"root": str(tmp_path / "gan-course" / "data" / "mnist"), "train": True, "download": True}
    assert ds.images.shape == (3, 1, 28, 28) and ds.images.max() == -1


@pytest.mark.skipif(not os.environ.get("GAN_COURSE_DATA"), reason="needs the offline copy (GAN_COURSE_DATA)")
def test_real_offline_copy():
    test = load_mnist(train=False, verbose=False)
    assert len(test) == 10_000 and test.labels[:5].tolist() == [7, 2, 1, 0, 4]
    train = load_mnist(train=True, verbose=False)
    assert len(train) in (10_000, 60_000)
    assert len(take(test, 100)) == 100 and take(test, None) is test

"""A grading's private cache starts with copies of the grader's caches, and HW5's warm-up builds what its
notebook loads."""
from __future__ import annotations

import json
import re
from pathlib import Path

from autograder.integrity import private_cache

REPO = Path(__file__).resolve().parents[1]


def test_fill_copies_font_list_and_models_only(tmp_path, monkeypatch):
    cache = tmp_path / "grader-cache"
    (cache / "matplotlib").mkdir(parents=True)
    (cache / "matplotlib" / "fontlist-v390.json").write_text("{}")
    (cache / "matplotlib" / "other.txt").write_text("not copied")
    models = cache / "gan-course" / "models"
    models.mkdir(parents=True)
    (models / "mnist_classifier_v1_train_1ep.pt").write_bytes(b"weights")
    secret = tmp_path / "secret.pt"
    secret.write_bytes(b"not the cache's")
    (models / "planted.pt").symlink_to(secret)
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.delenv("MPLCONFIGDIR", raising=False)
    private = tmp_path / "private"
    private_cache.fill(private)
    copied = sorted(str(p.relative_to(private)) for p in private.rglob("*") if p.is_file())
    assert copied == ["cache/gan-course/models/mnist_classifier_v1_train_1ep.pt", "matplotlib/fontlist-v390.json"]
    (private / "cache/gan-course/models/mnist_classifier_v1_train_1ep.pt").write_bytes(b"changed by a student")
    assert (models / "mnist_classifier_v1_train_1ep.pt").read_bytes() == b"weights"  # a copy, not the original


def test_fill_of_an_empty_cache_copies_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "none"))
    monkeypatch.delenv("MPLCONFIGDIR", raising=False)
    private_cache.fill(tmp_path / "private")
    assert not (tmp_path / "private").exists()


def test_hw5_warm_up_builds_the_classifier_its_notebook_loads(monkeypatch):
    import shared

    source = "".join("".join(c["source"]) for c in json.loads(
        (REPO / "solutions/hw5_cgan_infogan/hw5_cgan_infogan.ipynb").read_text())["cells"])
    full, fast = map(int, re.search(r"classifier_epochs = shared\.pick\((\d+), (\d+)\)", source).groups())
    assert "shared.classifier.mnist_classifier(device, epochs=classifier_epochs)" in source
    calls = []
    monkeypatch.setattr(shared.classifier, "mnist_classifier", lambda *a, **k: calls.append(k["epochs"]))
    monkeypatch.setattr(private_cache, "_WARMED", set())
    for mode, epochs in (("1", fast), ("0", full)):
        monkeypatch.setenv("GAN_COURSE_FAST", mode)
        private_cache._WARMED.clear()
        private_cache.warm("hw5_cgan_infogan")
        private_cache.warm("hw5_cgan_infogan")  # once per process
        assert calls.pop() == epochs and not calls


def test_warm_up_of_a_homework_without_cached_models_does_nothing():
    private_cache.warm("hw1_mnist_gan")

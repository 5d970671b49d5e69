"""``shared`` pieces for judging conditional and InfoGAN generators: held-out splits, the cached MNIST classifier,
the best category-to-class matching, and traversal grids."""
from __future__ import annotations

import pytest
import torch

import shared
from shared.data import ImageTensorDataset, held_out


def _set(n: int, seed: int) -> ImageTensorDataset:
    images = torch.rand(n, 1, 28, 28, generator=torch.Generator().manual_seed(seed)) * 2 - 1
    return ImageTensorDataset(images, torch.arange(n) % 10, [str(i) for i in range(10)], f"set {seed}")


def test_held_out_keeps_separate_sets_and_cuts_a_stand_in():
    train, test = _set(30, 1), _set(20, 2)
    assert held_out(train, test)[:2] == (train, test)
    stand_in = ImageTensorDataset(test.images[:15], test.labels[:15], test.classes, "stand-in")
    first, second, note = held_out(stand_in, test)
    assert torch.equal(first.images, test.images[:10]) and torch.equal(second.images, test.images[10:])
    assert "cut in halves" in note


def test_mnist_classifier_is_accurate_cached_and_says_what_it_was_trained_on(tmp_path, capsys):
    trained = shared.classifier.mnist_classifier(device="cpu", cache_dir=tmp_path, epochs=2)
    assert trained.accuracy > 0.9, trained
    assert "saved to" in capsys.readouterr().out and len(list(tmp_path.glob("*.pt"))) == 1
    again = shared.classifier.mnist_classifier(device="cpu", cache_dir=tmp_path, epochs=2)
    assert "loaded from" in capsys.readouterr().out and again.accuracy == trained.accuracy
    digits = shared.data.load_mnist(train=False, verbose=False)
    assert torch.equal(again.predict(digits.images[-200:]), trained.predict(digits.images[-200:]))
    if "standing in" in digits.source or "cut in halves" in trained.note:  # offline: say so
        assert "cut in halves" in trained.note and "cut in halves" in str(trained)
    with pytest.raises(ValueError, match="N×1×28×28"):
        trained.predict(torch.zeros(3, 3, 32, 32))


def test_best_matching_finds_the_permutation():
    labels = torch.arange(100) % 4
    permuted = (labels + 1) % 4                      # category k is class k − 1
    result = shared.matching.best_matching(permuted, labels)
    assert result.accuracy == 1.0 and result.mapping == {0: 3, 1: 0, 2: 1, 3: 2}
    noisy = permuted.clone()
    noisy[:10] = 0                                    # ten items put in the wrong category
    assert shared.matching.best_matching(noisy, labels).accuracy == pytest.approx(1 - sum(
        1 for i in range(10) if (labels[i] + 1) % 4 != 0) / 100)
    assert shared.matching.best_matching(torch.zeros(8), torch.arange(8) % 2).accuracy == 0.5  # one category
    with pytest.raises(ValueError, match="one category per labelled item"):
        shared.matching.best_matching(torch.zeros(3), torch.zeros(4))


def test_class_grid_as_a_traversal_labels_rows_and_columns(tmp_path):
    fig = shared.show_class_grid(torch.rand(30, 1, 8, 8) * 2 - 1, [f"c={i}" for i in range(3)],
                                  column_values=torch.linspace(-1, 1, 10), path=tmp_path / "t.png")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["c=0", "c=1", "c=2"]
    assert [t.get_text() for t in ax.get_xticklabels()][0] == "-1" and (tmp_path / "t.png").stat().st_size > 0
    with pytest.raises(ValueError, match="cannot fill 4 rows"):
        shared.show_class_grid(torch.rand(30, 1, 8, 8), ["a", "b", "c", "d"])
    with pytest.raises(ValueError, match="column values"):
        shared.show_class_grid(torch.rand(30, 1, 8, 8), ["a", "b", "c"], column_values=[0, 1])

"""``shared`` pieces of HW4: padding, one-class splits, ROC/AUROC, latent interpolation and scatter, grids side by side."""
from __future__ import annotations

import pytest
import torch

import shared
from shared.data import ImageTensorDataset, one_class_split, pad_to


def _digits(n: int, seed: int = 0, size: int = 28) -> ImageTensorDataset:
    g = torch.Generator().manual_seed(seed)
    images = torch.rand(n, 1, size, size, generator=g) * 2 - 1
    return ImageTensorDataset(images, torch.arange(n) % 10, [str(i) for i in range(10)], f"test digits {seed}")


def test_pad_to_centres_with_background_and_keeps_pixels():
    data = _digits(4)
    padded = pad_to(data, 32)
    assert padded.images.shape == (4, 1, 32, 32)
    assert torch.equal(padded.images[:, :, 2:30, 2:30], data.images)
    assert (padded.images[:, :, :2] == -1).all() and (padded.images[:, :, :, 30:] == -1).all()
    assert torch.equal(padded.labels, data.labels) and "32×32" in padded.source
    with pytest.raises(ValueError, match="larger already"):
        pad_to(data, 20)


def test_one_class_split_of_separate_sets():
    train, test = _digits(100, seed=1), _digits(50, seed=2)
    split = one_class_split(train, test, normal=0)
    assert (split.train.labels == 0).all() and len(split.train) == 10
    assert split.test is test and torch.equal(split.is_anomaly, test.labels != 0)
    assert "trained on class '0'" in split.note


def test_one_class_split_cuts_a_stand_in_test_set_in_halves():
    test = _digits(200, seed=3)
    stand_in = ImageTensorDataset(test.images[:150], test.labels[:150], test.classes, "test set standing in")
    split = one_class_split(stand_in, test, normal=3)
    assert len(split.test) == 100 and torch.equal(split.test.images, test.images[100:])
    assert len(split.train) == 10 and (split.train.labels == 3).all()
    trained = {tuple(x.flatten()[:5].tolist()) for x in split.train.images}
    assert not trained & {tuple(x.flatten()[:5].tolist()) for x in split.test.images}  # nothing scored was trained on
    assert "cut in halves" in split.note
    with pytest.raises(ValueError, match="not a class index"):
        one_class_split(stand_in, test, normal=10)


def test_auroc_and_its_errors():
    truth = torch.tensor([0, 0, 1, 1], dtype=torch.bool)
    assert shared.roc.auroc(truth, torch.tensor([0.1, 0.2, 0.8, 0.9])) == 1.0
    assert shared.roc.auroc(truth, torch.tensor([0.9, 0.8, 0.2, 0.1])) == 0.0
    assert shared.roc.auroc(truth, torch.tensor([0.1, 0.8, 0.2, 0.9])) == 0.75
    with pytest.raises(ValueError, match="both normal and anomalous"):
        shared.roc.auroc(torch.ones(4, dtype=torch.bool), torch.rand(4))
    with pytest.raises(ValueError, match="one score per image"):
        shared.roc.auroc(truth, torch.rand(4, 2))
    with pytest.raises(ValueError, match="inf or nan"):
        shared.roc.auroc(truth, torch.tensor([0.1, float("nan"), 0.2, 0.3]))


def test_roc_and_score_plots_are_saved(tmp_path):
    truth = torch.arange(40) % 4 != 0
    scores = truth.float() + torch.rand(40, generator=torch.Generator().manual_seed(0))
    fig = shared.roc.plot_roc({"score": (truth, scores), "noise": (truth, torch.rand(40))}, path=tmp_path / "roc.png")
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels[0].startswith("score (AUROC") and labels[-1] == "chance"
    shared.roc.plot_score_histograms(truth, scores, path=tmp_path / "scores.png")
    assert (tmp_path / "roc.png").stat().st_size > 0 and (tmp_path / "scores.png").stat().st_size > 0


def test_interpolate_runs_from_start_to_end():
    a, b = torch.zeros(3), torch.tensor([1.0, 2.0, 4.0])
    path = shared.latent.interpolate(a, b, steps=5)
    assert path.shape == (5, 3) and torch.equal(path[0], a) and torch.equal(path[-1], b)
    assert torch.allclose(path[2], b / 2)
    with pytest.raises(ValueError, match="same shape"):
        shared.latent.interpolate(a, torch.zeros(4))
    with pytest.raises(ValueError, match="at least 2"):
        shared.latent.interpolate(a, b, steps=1)


def test_latent_scatter_has_one_group_per_class(tmp_path):
    points, labels = torch.randn(30, 2), torch.arange(30) % 3
    fig = shared.latent.plot_latent_scatter(points, labels, ["a", "b", "c"], path=tmp_path / "scatter.png")
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["a", "b", "c"]
    with pytest.raises(ValueError, match="N×2"):
        shared.latent.plot_latent_scatter(torch.randn(30, 3), labels, ["a", "b", "c"])


def test_grids_side_by_side_and_curves(tmp_path):
    fig = shared.show_grids({"one": torch.rand(4, 1, 8, 8) * 2 - 1, "two": torch.rand(9, 1, 8, 8) * 2 - 1},
                            title="pair", path=tmp_path / "grids.png")
    assert [ax.get_title() for ax in fig.axes] == ["one", "two"]
    x = torch.linspace(-1, 1, 11)
    fig = shared.plot_curves(x, {"square": x ** 2, "abs": x.abs()}, "x", "y", logy=False, path=tmp_path / "curves.png")
    assert len(fig.axes[0].get_lines()) == 2
    with pytest.raises(ValueError, match="10 values for 11 points"):
        shared.plot_curves(x, {"short": x[:10]}, "x", "y")

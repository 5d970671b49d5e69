"""HW3's optional part: the ACGAN on a class-folder dataset (five grayscale classes, batches of 8).

The cell is off by default in the notebook (students point it at their own folder), so this test runs it
on a real folder: 16 MNIST test digits of each of five classes written as PNG files.
"""
from __future__ import annotations

import nbformat
from torchvision.utils import save_image

from autograder.pipeline.notebook import execute_notebook
from shared.data import load_mnist

from .conftest import solution_path

HW = "hw3_acgan_wgan"


def test_the_optional_acgan_trains_on_a_five_class_folder(tmp_path, monkeypatch):
    digits = load_mnist(train=False, verbose=False)
    folder = tmp_path / "five_classes"
    for c in range(5):
        (folder / f"digit_{c}").mkdir(parents=True)
        for i, index in enumerate((digits.labels == c).nonzero().flatten()[:16].tolist()):
            save_image(digits.images[index] * 0.5 + 0.5, folder / f"digit_{c}" / f"{i:02d}.png")
    student = execute_notebook(solution_path(HW), workdir=tmp_path, answers_only=True)
    assert not student.cell_errors
    cell = next(c for c in nbformat.read(str(solution_path(HW)), as_version=4).cells if "RUN_FOLDER = False" in c.source)
    source = cell.source.replace("RUN_FOLDER = False", "RUN_FOLDER = True").replace(
        "FOLDER = None", f"FOLDER = {str(folder)!r}")
    assert source != cell.source
    ns = student._namespace
    monkeypatch.chdir(tmp_path)  # the cell writes its grids and checkpoint under runs/
    exec(compile(source, "optional-folder-cell", "exec"), ns)
    assert ns["folder_classes"] == [f"digit_{c}" for c in range(5)]
    assert len(ns["folder_loader"]) == 80 // 8
    assert ns["history_f"].names == ["D", "G", "class_acc"]
    assert (tmp_path / "runs" / "fast" / "part_e_folder" / "epoch_001.png").is_file()

"""The command line's batch grading: homework recognition, limits, crashes, parallel jobs, class reports."""
from __future__ import annotations

import csv
import json

import nbformat
import pytest

from autograder.pipeline.batch import UnknownHomework, gradescope, grade_all, recognise_homework, write_class_csv
from autograder.cli import main
from autograder.pipeline.registry import checks

from .conftest import release_path, solution_path

HW1, HW2 = "hw1_mnist_gan", "hw2_dcgan_cifar10"


def _release_with_first_cell(tmp_path, name: str, source: str):
    """HW1's release whose first code cell is ``source``: a submission that misbehaves at once."""
    nb = nbformat.read(str(release_path(HW1)), as_version=4)
    next(c for c in nb.cells if c.cell_type == "code").source = source
    path = tmp_path / f"{name}.ipynb"
    nbformat.write(nb, str(path))
    return path


def test_homework_is_recognised_from_the_test_cells_not_the_file_name(tmp_path):
    renamed = tmp_path / "my_homework.ipynb"
    renamed.write_text(solution_path(HW2).read_text())
    assert recognise_homework(renamed) == HW2
    assert recognise_homework(release_path(HW1)) == HW1
    plain = tmp_path / "notes.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")]), str(plain))
    with pytest.raises(UnknownHomework, match="no test cell"):
        recognise_homework(plain)


def test_a_notebook_graded_as_the_wrong_homework_is_refused(tmp_path):
    [result] = grade_all([release_path(HW2)], homework=HW1)
    assert result["score"] == 0 and "this notebook is hw2_dcgan_cifar10, not hw1_mnist_gan" in result["error"]


def test_crashes_hangs_and_memory_bombs_fail_alone_and_the_batch_goes_on(tmp_path):
    """Two at a time, under the default memory limit (no ``memory_gb``: each job gets its share of the machine,
    sandbox.default_memory_gb): a crash, a hang and a notebook without test cells score 0 with the reason; a
    memory bomb fails with a MemoryError and is graded (0: its answers are blank) while the honest notebook graded
    beside it keeps 100. Without the limit the bomb would never end (``numpy.empty`` never touches its pages, so it
    takes address space, not memory: safe on any test machine) and would run into the time limit instead."""
    crash = _release_with_first_cell(tmp_path, "crash", "import os\nos._exit(3)")
    hang = _release_with_first_cell(tmp_path, "hang", "import time\ntime.sleep(600)")
    bomb = _release_with_first_cell(tmp_path, "bomb", "import numpy\nchunks = []\nwhile True:\n    chunks.append(numpy.empty(2**28, numpy.uint8))")
    plain = tmp_path / "notes.ipynb"
    nbformat.write(nbformat.v4.new_notebook(), str(plain))
    honest = solution_path(HW1)
    results = grade_all([hang, bomb, honest, crash, plain], jobs=2, notebook_timeout=50)  # (honest: ≈ 15 s)
    assert [r["notebook"] for r in results] == [str(p) for p in (hang, bomb, honest, crash, plain)]
    assert [r["score"] for r in results] == [0, 0, 100, 0, 0], [r.get("error") for r in results]
    assert "time limit" in results[0]["error"]
    assert results[1]["error"] is None and len(results[1]["grades"]) == 11
    # The MemoryError is the notebook's own text: quoted as the student's, never in the grader's messages.
    assert "MemoryError" in " ".join(g["student_text"] for g in results[1]["grades"])
    assert "MemoryError" not in " ".join(g["message"] for g in results[1]["grades"])
    assert "exit code" in results[3]["error"] and len(results[3]["grades"]) == len(checks(HW1))
    assert "no test cell" in results[4]["error"]


def test_gradescope_results_and_class_csv(tmp_path, capsys):
    crash = _release_with_first_cell(tmp_path, "crash", "import os\nos._exit(3)")
    out = gradescope(grade_all([crash])[0])
    assert out["score"] == 0 and len(out["tests"]) == 11 and "exit code" in out["output"]
    assert {"name", "score", "max_score", "output"} <= set(out["tests"][0])
    assert sum(t["max_score"] for t in out["tests"]) == 100
    main(["grade", str(tmp_path), "--csv", str(tmp_path / "class.csv"), "--gradescope", str(tmp_path / "r.json")])
    rows = list(csv.DictReader((tmp_path / "class.csv").open()))
    assert len(rows) == 1 and rows[0]["score"] == "0.0" and "exit code" in rows[0]["error"]
    assert json.loads((tmp_path / "r.json").read_text())["score"] == 0
    assert "NOT GRADED NORMALLY" in capsys.readouterr().out
    write_class_csv([], tmp_path / "empty.csv")

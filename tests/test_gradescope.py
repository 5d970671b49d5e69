"""Gradescope's autograder zip: what it holds, and a submission graded by its run_autograder as Gradescope would."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile

import pytest

from autograder.course.examples import example_path
from autograder.cli import main as cli_main

HW = "hw3_acgan_wgan"


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    path = tmp_path_factory.mktemp("gradescope") / "autograder.zip"
    assert cli_main(["gradescope", HW, "-o", str(path)]) == 0
    return path


def test_the_zip_holds_the_grader_and_no_answers(package):
    with zipfile.ZipFile(package) as archive:
        names = archive.namelist()
        modes = {i.filename: i.external_attr >> 16 for i in archive.infolist()}
        requirements = archive.read("requirements.txt").decode()
    assert {"setup.sh", "run_autograder", "requirements.txt", "source/pyproject.toml"} <= set(names)
    assert modes["run_autograder"] & 0o111 and modes["setup.sh"] & 0o111
    assert f"source/autograder/{HW}/reference.py" in names and "source/shared/__init__.py" in names
    assert not [n for n in names if n.split("/")[:2][-1] in ("solutions", "assignments", "examples", "tests", ".git")]
    assert not [n for n in names if "__pycache__" in n]
    assert "torch" in requirements and "nbformat" in requirements and "gan-course" not in requirements


def test_unknown_homework_is_refused(tmp_path):
    with pytest.raises(SystemExit, match="no homework"):
        cli_main(["gradescope", "hw9", "-o", str(tmp_path / "a.zip")])


def test_run_autograder_grades_a_submission_as_the_cli_does(package, tmp_path):
    """Unpacked into an /autograder-shaped tree; run_autograder writes results.json with the CLI's score for the
    bundled example (70 / 100, as `python -m autograder grade` gives it: tested with nbgrader's scores)."""
    root = tmp_path / "autograder"
    with zipfile.ZipFile(package) as archive:
        archive.extractall(root)
    (root / "run_autograder").chmod(0o755)
    (root / "submission").mkdir()
    shutil.copyfile(example_path(HW), root / "submission" / f"{HW}.ipynb")
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": sys.executable}
    run = subprocess.run([str(root / "run_autograder")], env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    results = json.loads((root / "results" / "results.json").read_text())
    assert results["score"] == 70 and len(results["tests"]) == 11
    assert sum(t["max_score"] for t in results["tests"]) == 100


def test_run_autograder_without_a_notebook_says_what_to_upload(package, tmp_path):
    root = tmp_path / "autograder"
    with zipfile.ZipFile(package) as archive:
        archive.extractall(root)
    (root / "run_autograder").chmod(0o755)
    (root / "submission").mkdir()
    (root / "submission" / "answers.pdf").write_text("not a notebook")
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": sys.executable}
    subprocess.run([str(root / "run_autograder")], env=env, check=True, timeout=60)
    results = json.loads((root / "results" / "results.json").read_text())
    assert results["score"] == 0 and f"upload {HW}.ipynb" in results["output"]

"""``python -m autograder release`` and ``example``, run as an instructor runs them.

The committed notebooks are checked through the command line (``--check`` writes nothing); the writing path runs on
a scratch copy of the repository, where a stale release, solution and example are named and then rebuilt.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import nbformat

from autograder.course.examples import example_path, write_examples
from autograder.course.nbgrader_course import REPO, course_repository, release_all

HW = "hw1_mnist_gan"


def _run(command: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=300)


def _cli(*args: str) -> subprocess.CompletedProcess:
    return _run([sys.executable, "-m", "autograder", *args])


def test_the_committed_releases_and_examples_are_up_to_date_by_the_command_line():
    release = _run([sys.executable, "-m", "autograder", "release", "--check", HW])
    assert release.returncode == 0, release.stdout + release.stderr
    assert "1 homework: the committed releases (and the solutions' course address) are up to date" in release.stdout
    example = _run([sys.executable, "-m", "autograder", "example", "--check"])
    assert example.returncode == 0, example.stdout + example.stderr
    assert "5 homeworks: the committed example submissions are up to date" in example.stdout


def test_an_unknown_homework_is_refused_by_name():
    for args in (("release", "--check", "hw9_nonesuch"), ("example", "--check", "hw9_nonesuch")):
        run = _cli(*args)
        assert run.returncode != 0
        assert "hw9_nonesuch" in run.stderr and HW in run.stderr and "Traceback" not in run.stderr


def _scratch_repository(tmp_path):
    """The parts of the repository that ``release`` and ``example`` read and write, for HW1."""
    repo = tmp_path / "repo"
    for folder in ("solutions", "assignments", "examples"):
        shutil.copytree(REPO / folder / HW, repo / folder / HW,
                        ignore=shutil.ignore_patterns("runs", "*.pth", "loss_report.txt", ".ipynb_checkpoints"))
    for name in ("course.json", "nbgrader_config.py"):
        shutil.copy(REPO / name, repo / name)
    return repo


def test_stale_notebooks_are_named_then_rebuilt(tmp_path):
    repo = _scratch_repository(tmp_path)
    solution, release, example = (repo / "solutions" / HW / f"{HW}.ipynb", repo / "assignments" / HW / f"{HW}.ipynb",
                                  example_path(HW, repo))
    old = course_repository(repo / "course.json")
    new = "https://github.com/a-university/gan-course-2027"
    (repo / "course.json").write_text(json.dumps({**json.loads((repo / "course.json").read_text()), "repository": new}))
    edited = nbformat.read(str(release), as_version=4)
    edited.cells[1].source += "\n\nA line typed into the release by hand."
    nbformat.write(edited, str(release))
    example.write_text(example.read_text().replace("Mode collapse", "Mode  collapse"))
    solution_before = solution.read_text()

    assert set(release_all([HW], repo=repo, check=True)) == {solution, release}
    assert write_examples([HW], repo=repo, check=True) == [example]
    assert solution.read_text() == solution_before  # --check writes nothing

    assert release_all([HW], repo=repo) == [release]
    committed = (REPO / "assignments" / HW / f"{HW}.ipynb").read_text()
    assert old in committed and release.read_text() == committed.replace(old, new)
    first = next(c for c in nbformat.read(str(solution), as_version=4).cells if c.cell_type == "code")
    assert f'COURSE_REPO = "{new}"' in first.source
    assert write_examples([HW], repo=repo) == [example]
    assert write_examples([HW], repo=repo, check=True) == []

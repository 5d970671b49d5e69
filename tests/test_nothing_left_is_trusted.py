"""Nothing a submission leaves behind is trusted (HW1): links and special files it plants in its folder are never
followed (both routes), its kernel's memory is limited by default, and edited cell metadata neither stops grading
nor gains points.

The planting submission is the blank release's graded cells after one cell that plants, in the folder its kernel (or the
CLI's notebook process) runs in: symbolic links to files of the course in place of its own notebook, of the
review file and of a file feedback would copy; a FIFO; a hard link to a course file where the kernel allows it.
Under ``nbgrader autograde``, nbgrader's own steps after execution (writing the autograded notebook, setting
permissions, ``generate_feedback``) would write, chmod and copy through them: the course's files must stay as
they were, feedback must hold none of them, and the submission is flagged with what was removed.
"""
from __future__ import annotations

import hashlib
import os
import re
import stat
import textwrap
from pathlib import Path

import nbformat

import pytest

from autograder.course import nbgrader_course as c
from autograder.integrity import memory_cgroup, sandbox
from autograder.pipeline.batch import grade_notebook
from autograder.course.examples import example_path
from autograder.pipeline.notebook import is_test_cell

from .conftest import release_with_one_extra_cell

HW = "hw1_mnist_gan"

PLANT = """
import os
_course = os.path.abspath(os.path.join(os.getcwd(), "..", "..", ".."))
_plants = {
    "hw1_mnist_gan.ipynb": os.path.join(_course, "canary_notebook.txt"),  # nbgrader writes the graded notebook here
    "manual_review.json": os.path.join(_course, "canary_review.txt"),
    "leak.db": os.path.join(_course, "gradebook.db"),  # generate_feedback would copy it to the student
}
for _name, _target in _plants.items():
    try:
        if os.path.lexists(_name):
            os.unlink(_name)
        os.symlink(_target, _name)
    except OSError:
        pass
try:
    os.mkfifo("pipe")
except OSError:
    pass
try:
    os.link(os.path.join(_course, "canary_hard.txt"), "hard.txt")
    print("hard link made")
except OSError as error:
    print("hard link refused:", error)
def _bomb():  # allocates without bound (address space only: numpy.empty never touches its pages)
    import numpy
    chunks = []
    while True:
        chunks.append(numpy.empty(2**28, numpy.uint8))
try:
    _bomb()
except MemoryError:
    print("the memory limit held")
print("memory cgroup:", [line for line in open("/proc/self/cgroup") if "memory" in line or line.startswith("0::")])
"""


def planting_notebook() -> nbformat.NotebookNode:
    return release_with_one_extra_cell(HW, textwrap.dedent(PLANT))


def _fingerprint(path: Path) -> tuple:
    info = path.stat()
    return hashlib.sha256(path.read_bytes()).hexdigest(), stat.S_IMODE(info.st_mode)


def edited_example() -> nbformat.NotebookNode:
    """HW1's bundled example (70 / 100) with its cell metadata edited as a student could: more points on one test
    cell, ``grade: false`` on another, a third renamed, a fourth with a forged checksum, and an extra test cell
    worth 50 points that only prints a tick."""
    nb = nbformat.read(str(example_path(HW)), as_version=4)
    tests = [cell for cell in nb.cells if is_test_cell(cell)]
    tests[0].metadata.nbgrader["points"] = 100
    tests[1].metadata.nbgrader["grade"] = False
    tests[2].metadata.nbgrader["grade_id"] = "renamed_by_the_student"
    tests[3].metadata.nbgrader["checksum"] = "0" * 32
    extra = nbformat.v4.new_code_cell("print('✓ Problem 12 · bonus (50 points)')")
    extra.metadata["nbgrader"] = {"grade": True, "grade_id": "bonus", "locked": True, "points": 50,
                                  "schema_version": 3, "solution": False, "task": False, "cell_type": "code"}
    nb.cells.append(extra)
    return nb


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """One course, autograded once: the planting submission and the edited example."""
    root = tmp_path_factory.mktemp("leftovers")
    course = c.new_course(root / "course", [HW])
    c.generate(course, HW)
    canaries = {name: course / name for name in ("canary_notebook.txt", "canary_review.txt", "canary_hard.txt")}
    for name, path in canaries.items():
        path.write_text(f"{name}: the instructor's file\n")
    for student, nb in (("planter", planting_notebook()), ("editor", edited_example())):
        submitted = course / "submitted" / student / HW / f"{HW}.ipynb"
        submitted.parent.mkdir(parents=True)
        nbformat.write(nb, str(submitted))
    roster = root / "students.csv"
    roster.write_text("id\nplanter\neditor\n")
    c.nbgrader(course, "db", "student", "import", str(roster))
    gradebook = course / "gradebook.db"
    before = {name: _fingerprint(path) for name, path in canaries.items()}
    gradebook_mode = stat.S_IMODE(gradebook.stat().st_mode)
    run = c.nbgrader(course, "autograde", HW, "--force", "--Execute.timeout=60", check=False)
    return {"course": course, "canaries": canaries, "before": before, "gradebook_mode": gradebook_mode, "run": run}


def test_links_and_special_files_planted_under_nbgrader_are_removed_flagged_and_never_followed(graded):
    course, canaries, before, gradebook_mode = (graded[k] for k in ("course", "canaries", "before", "gradebook_mode"))
    gradebook = course / "gradebook.db"
    feedback = c.feedback(course, HW, "planter")

    assert {name: _fingerprint(path) for name, path in canaries.items()} == before, "a course file was changed"
    assert stat.S_IMODE(gradebook.stat().st_mode) == gradebook_mode, "the gradebook was chmodded"
    graded = course / "autograded" / "planter" / HW
    for path in [*graded.rglob("*"), *feedback.parent.rglob("*")]:
        info = path.lstat()
        assert stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode), f"{path} is not a regular file"
        assert not stat.S_ISREG(info.st_mode) or info.st_nlink == 1, f"{path} is a hard link"
    secrets = {gradebook.read_bytes(), *(path.read_bytes() for path in canaries.values())}
    assert not any(p.read_bytes() in secrets for p in feedback.parent.rglob("*") if p.is_file())
    assert c.auto_total(course, HW, "planter") == (0, 100)
    review = (graded / "manual_review.json").read_text()
    assert "hw1_mnist_gan.ipynb (symbolic link)" in review and "leak.db (symbolic link)" in review
    assert "pipe (FIFO)" in review
    printed = "".join(o.get("text", "") for cell in nbformat.read(str(graded / f"{HW}.ipynb"), as_version=4).cells
                      for o in cell.get("outputs", []) if "_bomb()" in cell.source)
    # a hard link to a course file: refused inside the sandbox (Landlock), or made and then removed and flagged
    assert "hard link refused" in printed or ("hard link made" in printed and "hard.txt (hard link)" in review)
    # the kernel's default address-space limit stopped the allocation (without it the cell runs into its timeout)
    cells = nbformat.read(str(graded / f"{HW}.ipynb"), as_version=4).cells
    [planting] = [cell for cell in cells if "_bomb()" in cell.source]
    printed = "".join(o.get("text", "") for o in planting.get("outputs", []))
    assert "the memory limit held" in printed, planting
    if memory_cgroup.available():  # and the kernel ran in a memory cgroup of its own, deleted after grading
        [name] = set(re.findall(r"gan-course-\d+-\d+", printed)) or [None]
        assert name and not (memory_cgroup.parent()[0] / name).exists(), printed


def test_edited_metadata_never_stops_grading_never_gains_points_and_is_flagged(graded):
    course = graded["course"]
    assert graded["run"].returncode == 0, graded["run"].stdout[-2000:] + graded["run"].stderr[-2000:]
    assert c.auto_total(course, HW, "editor") == (70, 100)
    review = (course / "autograded" / "editor" / HW / "manual_review.json").read_text()
    assert "cell metadata" in review and "points" in review and "renamed_by_the_student" in review
    assert "'bonus'" in review  # (the forged checksum is simply replaced: nbgrader never trusts it either)


def test_edited_metadata_changes_nothing_on_the_cli_route(tmp_path):
    """The CLI takes problems and points from its own checks, never from the notebook's metadata."""
    notebook = tmp_path / f"{HW}.ipynb"
    nbformat.write(edited_example(), str(notebook))
    result = grade_notebook(notebook, HW, cell_timeout=60, notebook_timeout=300)
    assert (result["score"], result["points"]) == (70, 100)


def test_links_planted_on_the_cli_route_are_never_followed(tmp_path):
    canary = tmp_path / "gradebook.db"
    canary.write_text("the instructor's gradebook\n")
    notebook = tmp_path / "class" / "planter" / "submitted" / f"{HW}.ipynb"  # the course three levels up, as above
    notebook.parent.mkdir(parents=True)
    nbformat.write(planting_notebook(), str(notebook))
    before = _fingerprint(canary)
    result = grade_notebook(notebook, HW, cell_timeout=60, notebook_timeout=300)
    assert result["score"] == 0
    assert _fingerprint(canary) == before
    assert [p.name for p in notebook.parent.iterdir()] == [notebook.name], "the submission's folder was written"
    assert not os.path.lexists(notebook.parent / "leak.db")


def test_scrub_removes_every_kind_of_link_and_special_file_and_nothing_else(tmp_path):
    """sandbox.scrub, kind by kind (the kernel above may be refused some of them, such as hard links)."""
    import socket

    outside = tmp_path / "gradebook.db"
    outside.write_text("the instructor's\n")
    folder = tmp_path / "submission"
    (folder / "runs" / "deep").mkdir(parents=True)
    (folder / "generator.pth").write_bytes(b"weights")
    (folder / "runs" / "deep" / "grid.png").write_bytes(b"png")
    os.symlink(outside, folder / "notebook.ipynb")
    os.symlink(tmp_path, folder / "runs" / "up")
    os.symlink(folder / "missing", folder / "runs" / "deep" / "dangling")
    os.link(outside, folder / "hard.db")
    os.mkfifo(folder / "pipe")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(folder / "runs" / "sock"))
    server.close()
    removed = sorted(sandbox.scrub(folder))
    assert removed == sorted(["notebook.ipynb (symbolic link)", "runs/up (symbolic link)",
                              "runs/deep/dangling (symbolic link)", "hard.db (hard link)", "pipe (FIFO)",
                              "runs/sock (socket)"])
    left = sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))
    assert left == ["generator.pth", "runs", "runs/deep", "runs/deep/grid.png"]
    assert outside.read_text() == "the instructor's\n"
    assert sandbox.scrub(folder) == []
    sandbox.write_regular(folder / "runs" / "review.json", "{}")
    os.symlink(outside, folder / "review.json")
    sandbox.write_regular(folder / "review.json", "{}")  # replaces the link, never writes through it
    assert not (folder / "review.json").is_symlink() and outside.read_text() == "the instructor's\n"

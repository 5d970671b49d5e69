"""The nbgrader workflow on a course directory: generate, submit, autograde, feedback, export.

A thin layer over the real ``nbgrader`` commands (run as subprocesses, exactly as an
instructor would), used by ``python -m autograder release|demo`` and the end-to-end tests.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[2]
SETTINGS = REPO / "course.json"
PLACEHOLDER_REPOSITORY = "https://github.com/YOUR-ORG/YOUR-COURSE"
_REPO_LINE = re.compile(r'^COURSE_REPO = "[^"\n]*"', re.MULTILINE)


def course_repository(settings: Path = SETTINGS) -> str:
    """The course's repository address from ``course.json`` (the placeholder until the instructor sets it)."""
    value = json.loads(settings.read_text()).get("repository", "")
    if not isinstance(value, str) or not value.startswith(("https://", "http://", "git@", "ssh://")):
        raise ValueError(f"{settings}: 'repository' should be the course's git address (https://…), found {value!r}")
    return value


def stamp_course_repository(notebook: Path, repository: str) -> bool:
    """Write ``COURSE_REPO = "<repository>"`` into the notebook's first code cell; True when it changed."""
    nb = nbformat.read(str(notebook), as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code")
    if len(_REPO_LINE.findall(cell.source)) != 1:
        raise ValueError(f"{notebook}: the first code cell should set COURSE_REPO = \"...\" exactly once")
    source = _REPO_LINE.sub(f'COURSE_REPO = "{repository}"', cell.source)
    if source == cell.source:
        return False
    cell.source = source
    nbformat.write(nb, str(notebook))
    return True


def nbgrader(course: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run ``nbgrader ARGS`` in ``course`` with this interpreter (and its helper programs), started the quick way
    (:mod:`autograder.integrations.nbgrader_cli`)."""
    bindir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": bindir + os.pathsep + os.environ.get("PATH", "")}
    run = subprocess.run([sys.executable, "-m", "autograder.integrations.nbgrader_cli", *args], cwd=course, env=env,
                         capture_output=True, text=True)
    if check and run.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed ({run.returncode}):\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
    return run


def new_course(dest: str | os.PathLike, homeworks: list[str], repo: Path = REPO) -> Path:
    """A fresh course directory holding the solution notebooks and the course's nbgrader_config.py."""
    course = Path(dest)
    course.mkdir(parents=True, exist_ok=True)
    shutil.copy(repo / "nbgrader_config.py", course / "nbgrader_config.py")
    for hw in homeworks:
        shutil.copytree(repo / "solutions" / hw, course / "solutions" / hw, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("runs", "*.pth", "loss_report.txt", ".ipynb_checkpoints"))
    return course


def is_stale(committed: Path, fresh: nbformat.NotebookNode) -> bool:
    """A committed generated notebook (a release, an example) that is missing or differs from a fresh build."""
    return not committed.exists() or nbformat.read(str(committed), as_version=4) != fresh


def expect_known(homeworks: list[str]) -> None:
    """A ValueError naming the homeworks that do not exist, and those that do."""
    from autograder.pipeline.registry import homeworks as known

    unknown = sorted(set(homeworks) - set(known()))
    if unknown:
        raise ValueError(f"no homework {', '.join(unknown)}; the homeworks are {', '.join(known())}")


def new_semester(dest: str | os.PathLike, homeworks: list[str], repo: Path = REPO) -> list[Path]:
    """A semester's nbgrader course folder outside the instructor's checkout: the configuration, the source
    notebooks and the generated releases of ``homeworks``, with the gradebook that knows them. Submissions,
    autograded notebooks, feedback and grades then live there. Returns the releases it wrote."""
    course = Path(dest).resolve()
    if course.exists() and (not course.is_dir() or any(course.iterdir())):
        raise ValueError(f"{course} is not an empty folder: a semester's gradebook and submissions are never "
                         "written over (pick a new folder)")
    expect_known(homeworks)
    new_course(course, homeworks, repo)
    return [generate(course, hw) for hw in homeworks]


def generate(course: Path, hw: str) -> Path:
    nbgrader(course, "generate_assignment", hw, "--force")
    return course / "assignments" / hw / f"{hw}.ipynb"


def submit(course: Path, hw: str, student: str, notebook) -> Path:
    """Place a notebook (a path or a NotebookNode) as ``student``'s submission."""
    target = course / "submitted" / student / hw / f"{hw}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(notebook, (str, os.PathLike)):
        shutil.copy(notebook, target)
    else:
        nbformat.write(notebook, str(target))
    nbgrader(course, "db", "student", "add", student, check=False)
    return target


def autograde(course: Path, hw: str, student: str, *extra: str) -> None:
    nbgrader(course, "autograde", hw, "--student", student, "--force", *extra)


def scores(course: Path, hw: str, student: str) -> dict[str, dict]:
    """grade_id → {score, max_score, auto} for every graded cell of a student's submission."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        nb = gb.find_submission_notebook(hw, hw, student)
        return {g.name: {"score": float(g.score), "max_score": float(g.max_score), "auto": g.cell_type == "code"}
                for g in nb.grades}


def auto_total(course: Path, hw: str, student: str) -> tuple[float, float]:
    graded = [g for g in scores(course, hw, student).values() if g["auto"]]
    return sum(g["score"] for g in graded), sum(g["max_score"] for g in graded)


def failure_messages(course: Path, hw: str, student: str) -> dict[str, str]:
    """grade_id → the error a test cell showed in the autograded notebook, on one line.

    A check's failure is shown without its ``✗ Problem …`` header line, which the table already says.
    """
    path = course / "autograded" / student / hw / f"{hw}.ipynb"
    nb = nbformat.read(str(path), as_version=4)
    out = {}
    for cell in nb.cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                if output["ename"] == "GradingFailure":
                    text = output["evalue"].split("\n", 1)[-1]
                else:
                    text = f"{output['ename']}: {output['evalue']}"
                out[grade_id] = " ".join(text.split())
    return out


def feedback(course: Path, hw: str, student: str) -> Path:
    nbgrader(course, "generate_feedback", hw, "--student", student, "--force")
    return course / "feedback" / student / hw / f"{hw}.html"


def export(course: Path) -> Path:
    nbgrader(course, "export")
    return course / "grades.csv"


def release_all(homeworks: list[str], repo: Path = REPO, check: bool = False) -> list[Path]:
    """Regenerate ``assignments/`` from ``solutions/`` (in a scratch course, so no database is left behind) and
    return the releases written.

    The course's repository address (``course.json``) is written into every solution's first cell first. With
    ``check`` nothing is written: it returns the stale notebooks instead, a solution whose first cell holds
    another address and a release that is missing or differs from a freshly generated one.
    """
    import tempfile

    expect_known(homeworks)
    repository = course_repository(repo / "course.json")
    if not check:
        for hw in homeworks:
            stamp_course_repository(repo / "solutions" / hw / f"{hw}.ipynb", repository)
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        course = new_course(tmp, homeworks, repo)
        for hw in homeworks:
            if check and stamp_course_repository(course / "solutions" / hw / f"{hw}.ipynb", repository):
                out.append(repo / "solutions" / hw / f"{hw}.ipynb")
            generated = generate(course, hw)
            target = repo / "assignments" / hw / f"{hw}.ipynb"
            if not check:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(generated, target)
                out.append(target)
            elif is_stale(target, nbformat.read(str(generated), as_version=4)):
                out.append(target)
    return out

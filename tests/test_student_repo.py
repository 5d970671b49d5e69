"""The public student repository holds ``shared`` and the releases only, and installs as ``gan-course-shared``."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder import cli
from autograder.course.student_repo import DISTRIBUTION, MARKER, build_student_repo

from .conftest import HOMEWORKS, ROOT

# Folders and files of the instructor repository that must never reach students.
FORBIDDEN_PARTS = {"autograder", "solutions", "examples", "tests", "bench", "bin", "__pycache__",
                   ".ipynb_checkpoints", "runs", "submitted", "autograded", "feedback"}
FORBIDDEN_NAMES = {"nbgrader_config.py", "course.json", "gradebook.db", "grades.csv", ".nbgrader.log"}
FORBIDDEN_SUFFIXES = {".pth", ".pt", ".pyc"}
SOLUTION_TEXT = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS")


def _reference_names() -> set[str]:
    names = set()
    for reference in (ROOT / "autograder").glob("*/reference.py"):
        names |= set(re.findall(r"^def (reference_\w+)", reference.read_text(), re.MULTILINE))
    return names


def _main_project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _first_code_cell(notebook: Path) -> str:
    return next(c for c in nbformat.read(str(notebook), as_version=4).cells if c.cell_type == "code").source


@pytest.fixture(scope="module")
def student_repo(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("student") / "repo"
    written = build_student_repo(dest)
    assert {p.name for p in written} >= {"shared", "assignments", "pyproject.toml", "README.md", MARKER}
    return dest


def test_holds_shared_and_releases_and_nothing_forbidden(student_repo):
    reference_names = _reference_names()
    assert len(reference_names) >= 3, "the reference answers' function names were not found"
    paths = list(student_repo.rglob("*"))
    assert any(p.is_file() for p in paths)
    top = {p.relative_to(student_repo).parts[0] for p in paths}
    assert top <= {"shared", "assignments", "pyproject.toml", "README.md", "environment.yml", ".gitignore", MARKER}
    for path in paths:
        rel = path.relative_to(student_repo)
        assert not FORBIDDEN_PARTS & set(rel.parts), rel
        assert rel.name not in FORBIDDEN_NAMES and path.suffix not in FORBIDDEN_SUFFIXES, rel
        if path.is_dir():
            continue
        text = path.read_text(errors="replace")
        for marker in SOLUTION_TEXT:
            assert marker not in text, f"{rel} holds {marker!r}"
        for name in reference_names:
            assert name not in text, f"{rel} names the reference answer {name}"
    # Every module of the library and every release, as they are in this repository.
    source = {p.relative_to(ROOT) for p in (ROOT / "shared").rglob("*.py") if "__pycache__" not in p.parts}
    assert {p.relative_to(student_repo) for p in (student_repo / "shared").rglob("*.py")} == source
    for hw in HOMEWORKS:
        release = Path("assignments") / hw / f"{hw}.ipynb"
        assert (student_repo / release).read_bytes() == (ROOT / release).read_bytes()
    marker = json.loads((student_repo / MARKER).read_text())
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    assert marker["source_commit"] == (head.stdout.strip() if head.returncode == 0 else None)
    readme = (student_repo / "README.md").read_text()
    assert "pip install -e ." in readme and "jupyter lab" in readme and "GAN_COURSE_FAST=1" in readme
    for internal in ("autograder", "bench", "seeds", "solutions/", "nbgrader"):
        assert internal not in readme.lower(), internal


def test_pyproject_packages_shared_only_with_the_main_runtime_dependencies(student_repo):
    student = tomllib.loads((student_repo / "pyproject.toml").read_text())
    main = _main_project()
    assert student["project"]["name"] == DISTRIBUTION == "gan-course-shared"
    assert student["project"]["dependencies"] == main["dependencies"]
    assert student["project"]["requires-python"] == main["requires-python"]
    assert student["tool"]["setuptools"]["packages"]["find"]["include"] == ["shared*"]
    assert "optional-dependencies" not in student["project"] and "entry-points" not in student["project"]
    environment = student_repo / "environment.yml"
    if (ROOT / "environment.yml").exists():
        text = environment.read_text()
        assert re.search(r"^\s*- -e \.\s", text, re.MULTILINE) and "grading" not in text
        for pin in re.findall(r"(torch(?:vision)?==\S+)", (ROOT / "environment.yml").read_text()):
            assert pin in text


def test_wheel_holds_only_shared(student_repo, tmp_path):
    source = tmp_path / "src"
    shutil.copytree(student_repo, source)  # pip builds in place: keep the module's build clean
    out = tmp_path / "wheels"
    run = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                          "-q", str(source), "-w", str(out)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    wheels = list(out.glob("*.whl"))
    assert len(wheels) == 1 and wheels[0].name.startswith("gan_course_shared-"), wheels
    version = _main_project()["version"]
    with zipfile.ZipFile(wheels[0]) as whl:
        names = whl.namelist()
        metadata = whl.read(f"gan_course_shared-{version}.dist-info/METADATA").decode()
    outside = [n for n in names if not n.startswith(("shared/", f"gan_course_shared-{version}.dist-info/"))]
    assert not outside, outside
    assert "shared/__init__.py" in names and "shared/metrics/evaluate.py" in names
    assert "Name: gan-course-shared" in metadata
    requires = re.findall(r"^Requires-Dist: (.+)$", metadata, re.MULTILINE)
    assert [r.replace(" ", "") for r in requires] == [d.replace(" ", "") for d in _main_project()["dependencies"]]


def test_shared_works_without_the_instructor_packages(student_repo):
    """Every module of the student copy imports, and none of them pulls in autograder (students lack it)."""
    probe = ("import importlib, pkgutil, sys\n"
             "import shared\n"
             "for m in pkgutil.walk_packages(shared.__path__, 'shared.'):\n"
             "    importlib.import_module(m.name)\n"
             "print(shared.__file__)\n"
             "print(sorted({m.split('.')[0] for m in sys.modules} & {'autograder', 'solutions', 'tests'}))\n")
    run = subprocess.run([sys.executable, "-c", probe], cwd=student_repo, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    where, imported = run.stdout.strip().splitlines()[-2:]
    assert Path(where).resolve().is_relative_to(student_repo.resolve()) and imported == "[]", run.stdout


def test_every_notebook_installs_the_student_package_only(student_repo):
    notebooks = [student_repo / "assignments" / hw / f"{hw}.ipynb" for hw in HOMEWORKS]
    notebooks += [ROOT / folder / hw / f"{hw}.ipynb" for folder in ("assignments", "solutions") for hw in HOMEWORKS]
    notebooks += sorted((ROOT / "examples").glob("*/*.ipynb"))
    for notebook in notebooks:
        first = _first_code_cell(notebook)
        assert f'"{DISTRIBUTION} @ git+{{COURSE_REPO}}"' in first, notebook
        assert "gan-course @" not in notebook.read_text(), notebook


def test_refuses_a_foreign_folder_and_replaces_a_previous_build(tmp_path, capsys):
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    with pytest.raises(SystemExit, match="not a previous student-repository build"):
        cli.main(["student-repo", str(foreign)])
    assert [p.name for p in foreign.iterdir()] == ["notes.txt"] and (foreign / "notes.txt").read_text() == "keep me"
    with pytest.raises(ValueError, match="cannot be written"):
        build_student_repo(ROOT / "shared" / "student")
    assert not (ROOT / "shared" / "student").exists()

    clone = tmp_path / "clone"  # a fresh clone of the public repository: .git alone is fine, and kept
    (clone / ".git").mkdir(parents=True)
    (clone / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    assert cli.main(["student-repo", str(clone)]) == 0
    shown = capsys.readouterr().out
    assert f"wrote {clone / 'shared'}" in shown and "push" in shown and "course.json" in shown
    (clone / "stale.txt").write_text("from an older build")
    (clone / "shared" / "old_module.py").write_text("")
    build_student_repo(clone)
    assert not (clone / "stale.txt").exists() and not (clone / "shared" / "old_module.py").exists()
    assert (clone / ".git" / "HEAD").read_text() == "ref: refs/heads/main\n" and (clone / MARKER).is_file()


def test_refuses_releases_that_hold_solutions(tmp_path):
    repo = tmp_path / "instructor"
    for name in ("pyproject.toml", "course.json"):
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, repo / name)
    shutil.copytree(ROOT / "shared", repo / "shared", ignore=shutil.ignore_patterns("__pycache__"))
    hw = HOMEWORKS[0]
    (repo / "assignments" / hw).mkdir(parents=True)
    shutil.copy(ROOT / "solutions" / hw / f"{hw}.ipynb", repo / "assignments" / hw / f"{hw}.ipynb")
    dest = tmp_path / "out"
    with pytest.raises(ValueError, match="BEGIN SOLUTION"):
        build_student_repo(dest, repo=repo)
    assert not dest.exists()
    # A release still installing the whole instructor distribution is stale: refused too.
    nb = nbformat.read(str(ROOT / "assignments" / hw / f"{hw}.ipynb"), as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code")
    cell.source = cell.source.replace(f"{DISTRIBUTION} @", "gan-course @")
    nbformat.write(nb, str(repo / "assignments" / hw / f"{hw}.ipynb"))
    with pytest.raises(ValueError, match="does not install gan-course-shared"):
        build_student_repo(dest, repo=repo)

"""The public student repository: the ``shared`` library and the released notebooks, nothing else.

This (instructor) repository holds the hidden checks, the reference answers and the solutions, so
it stays private. :func:`build_student_repo` writes what students may see into a folder of its own,
to be pushed to the public repository named by ``course.json``'s ``"repository"`` (the address
every notebook's first cell installs ``gan-course-shared`` from on Colab):

* ``shared/`` — the course library, packaged alone as the distribution ``gan-course-shared``;
* ``assignments/`` — the releases made by ``python -m autograder release``;
* ``pyproject.toml`` (same runtime dependencies and Python range as the instructor one),
  ``README.md`` for students, ``environment.yml`` (when this repository has one) and a marker
  file recording the commit it was built from.

Used by ``python -m autograder student-repo DEST``.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

from autograder.course.nbgrader_course import PLACEHOLDER_REPOSITORY, REPO, course_repository

DISTRIBUTION = "gan-course-shared"
MARKER = ".gan-course-student-repo"
# What is copied from this repository, and nothing else.
COPIED = ("shared", "assignments")
# Never copied, wherever it lies inside the copied folders: caches, weights, notebook outputs.
IGNORED = ("__pycache__", "*.pyc", ".ipynb_checkpoints", "*.pth", "*.pt", "runs", "loss_report.txt",
           "gradebook.db", ".nbgrader.log", "*.egg-info")
# Kept when a previous build is replaced: DEST may be a clone of the public repository.
KEPT = (".git",)


def build_student_repo(dest: str | Path, repo: Path = REPO) -> list[Path]:
    """Write the public student repository into ``dest``; return the top-level paths written.

    ``dest`` must be missing, empty (a ``.git`` folder alone is fine: a fresh clone of the public
    repository), or a previous build (it holds the marker file), which is replaced — its ``.git`` is
    kept, so a clone can be committed and pushed as it is. Anything else is refused.
    """
    dest = Path(dest).expanduser().resolve()
    repo = Path(repo).resolve()
    _check_destination(dest, repo)
    _check_releases(repo)
    main = tomllib.loads((repo / "pyproject.toml").read_text())
    dest.mkdir(parents=True, exist_ok=True)
    for entry in dest.iterdir():
        if entry.name in KEPT:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()

    written = []
    for name in COPIED:
        shutil.copytree(repo / name, dest / name, ignore=shutil.ignore_patterns(*IGNORED), symlinks=False)
        written.append(dest / name)
    (dest / "pyproject.toml").write_text(student_pyproject(main))
    written.append(dest / "pyproject.toml")
    (dest / "README.md").write_text(student_readme(main, _homeworks(dest / "assignments"), _public_address(repo)))
    written.append(dest / "README.md")
    environment = student_environment(repo / "environment.yml")
    if environment is not None:
        (dest / "environment.yml").write_text(environment)
        written.append(dest / "environment.yml")
    (dest / ".gitignore").write_text(_GITIGNORE)
    written.append(dest / ".gitignore")
    (dest / MARKER).write_text(json.dumps(_provenance(repo), indent=2) + "\n")
    written.append(dest / MARKER)
    return written


def _check_destination(dest: Path, repo: Path) -> None:
    for name in COPIED:
        source = repo / name
        if dest == source or source in dest.parents or dest in source.parents:
            raise ValueError(f"{dest}: the student repository cannot be written over or inside {source}")
    if dest == repo or dest in repo.parents:
        raise ValueError(f"{dest}: the student repository cannot be written over this repository ({repo})")
    if dest.exists() and not dest.is_dir():
        raise ValueError(f"{dest} exists and is not a folder")
    if not dest.exists() or (dest / MARKER).is_file():
        return
    foreign = sorted(p.name for p in dest.iterdir() if p.name not in KEPT)
    if foreign:
        shown = ", ".join(foreign[:5]) + (", …" if len(foreign) > 5 else "")
        raise ValueError(f"{dest} is not empty ({shown}) and is not a previous student-repository build "
                         f"(no {MARKER} file): refusing to overwrite it. Give an empty or new folder, "
                         f"or a fresh clone of the public repository.")


# Text that must never reach students: nbgrader's solution and hidden-test regions.
_SOLUTION_MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")


def _check_releases(repo: Path) -> None:
    """Refuse releases that hold solution text or are stale (``python -m autograder release`` fixes those)."""
    import nbformat

    address = course_repository(repo / "course.json")
    notebooks = sorted((repo / "assignments").glob("*/*.ipynb"))
    if not notebooks:
        raise ValueError(f"no release notebooks in {repo / 'assignments'}: run `python -m autograder release` first")
    for notebook in notebooks:
        text = notebook.read_text()
        found = [m for m in _SOLUTION_MARKERS if m in text]
        if found:
            raise ValueError(f"{notebook} holds {found[0]!r}: it is not a release; "
                             f"run `python -m autograder release`")
        first = next((c for c in nbformat.read(str(notebook), as_version=4).cells if c.cell_type == "code"), None)
        source = first.source if first is not None else ""
        if f'"{DISTRIBUTION} @ git+' not in source and f"'{DISTRIBUTION} @ git+" not in source \
                or f'COURSE_REPO = "{address}"' not in source:
            raise ValueError(f"{notebook}: its first cell does not install {DISTRIBUTION} from {address} "
                             f"(course.json): run `python -m autograder release`")


def student_pyproject(main: dict) -> str:
    """The student ``pyproject.toml``: ``shared*`` only, with the instructor project's runtime dependencies."""
    project = main["project"]
    build = main.get("build-system", {"requires": ["setuptools>=64"], "build-backend": "setuptools.build_meta"})
    lines = [
        "# Written by `python -m autograder student-repo` from the course's instructor repository.",
        "[build-system]",
        f"requires = {_toml(build['requires'])}",
        f"build-backend = {_toml(build['build-backend'])}",
        "",
        "[project]",
        f"name = {_toml(DISTRIBUTION)}",
        f"version = {_toml(project['version'])}",
        f"description = {_toml('The course library `shared` imported by the GAN coursework notebooks')}",
        'readme = "README.md"',
        f"requires-python = {_toml(project['requires-python'])}",
    ]
    if "license" in project:
        lines.append(f"license = {_toml(project['license'])}")
    lines.append("dependencies = [")
    lines += [f"    {_toml(d)}," for d in project.get("dependencies", [])]
    lines += [
        "]",
        "",
        "[tool.setuptools.packages.find]",
        'include = ["shared*"]',
        "",
    ]
    text = "\n".join(lines)
    written = tomllib.loads(text)["project"]  # what a build will read: exactly the instructor's runtime needs
    assert written["dependencies"] == project.get("dependencies", []), written["dependencies"]
    assert written["requires-python"] == project["requires-python"]
    return text


def _toml(value) -> str:
    """A TOML value for a string, a list of strings or a table of strings (JSON's string escapes are TOML's)."""
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"no TOML written for {value!r}")


def student_environment(main_environment: Path) -> str | None:
    """The conda environment for students: the instructor one's Python and torch pins, installing ``-e .``.

    None when this repository has no ``environment.yml``. The grading extras (nbgrader, pytest) are
    left out; JupyterLab, which students need to open the notebooks, is added.
    """
    if not main_environment.is_file():
        return None
    text = main_environment.read_text()
    python = re.search(r"^\s*-\s*python\s*=\s*([0-9.]+)\s*$", text, re.MULTILINE)
    pins = re.findall(r"^\s*-\s*((?:torch|torchvision)==[^\s#]+)", text, re.MULTILINE)
    lines = [
        "# Conda environment for the course notebooks on a GPU machine (lab server, workstation).",
        "# PyPI's Linux wheels of torch are CUDA builds, so this trains on the GPU. From this folder:",
        "#   conda env create -f environment.yml && conda activate gan-course && jupyter lab",
        "name: gan-course",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        f"  - python={python.group(1) if python else '3.11'}",
        "  - pip",
        "  - pip:",
        *[f"      - {pin}" for pin in pins],
        "      - jupyterlab",
        "      - -e .   # the course library `shared` with matplotlib, tqdm, scikit-learn and torch-fidelity",
        "",
    ]
    return "\n".join(lines)


def student_readme(main: dict, homeworks: list[str], address: str | None) -> str:
    """A short README for students: what the repository is and how to open a homework."""
    minimum = re.search(r">=\s*([0-9.]+)", main["project"]["requires-python"])
    python = minimum.group(1) if minimum else "3.10"
    folder = address.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git") if address else "<folder>"
    clone = f"git clone {address}" if address else "git clone <this repository's address>"
    notebooks = "\n".join(f"- `assignments/{hw}/{hw}.ipynb`" for hw in homeworks) or "- (none released yet)"
    return f"""# GAN course — notebooks and the course library

Welcome! This repository holds everything you need for the homework of the course:

- `assignments/` — one notebook per homework, with the problems to solve;
- `shared/` — the course library (`import shared`): data loading, training helpers, plots and metrics.
  You use it; you do not need to change it.

## Open your homework

Open the notebook of your homework:

{notebooks}

**On Google Colab:** open the notebook in Colab (File → Open notebook → GitHub, or upload it), choose
a GPU runtime (Runtime → Change runtime type), and run the first cell. It installs the course library
from this repository when it is missing, then prints the device and the mode.

**On your own machine** (Python {python} or newer):

```bash
{clone}
cd {folder}
pip install -e . jupyterlab
jupyter lab
```

With conda instead: `conda env create -f environment.yml && conda activate gan-course`, then `jupyter lab`.

## Fast mode

Training for real takes a while, best on a GPU. To check that your code runs end to end first, start
Jupyter with `GAN_COURSE_FAST=1 jupyter lab`: the same code runs on tiny sizes, so a whole notebook takes
about a minute on a CPU (the results mean nothing in that mode). Run without it for your real results.

Before handing in: **Kernel → Restart & Run All**. Good luck, and have fun with your GANs!
"""


def _homeworks(assignments: Path) -> list[str]:
    return sorted(p.name for p in assignments.iterdir() if (p / f"{p.name}.ipynb").is_file())


def _public_address(repo: Path) -> str | None:
    try:
        address = course_repository(repo / "course.json")
    except (OSError, ValueError):
        return None
    return None if address == PLACEHOLDER_REPOSITORY else address


def _provenance(repo: Path) -> dict:
    def git(*args: str) -> str | None:
        try:
            run = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.SubprocessError):
            return None
        return run.stdout.strip() if run.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    status = git("status", "--porcelain", "--", *COPIED) if commit else None
    return {
        "built_by": "python -m autograder student-repo",
        "distribution": DISTRIBUTION,
        "source_commit": commit,
        # True when shared/ or assignments/ had changes not yet committed at build time.
        "source_modified": bool(status) if status is not None else None,
    }


_GITIGNORE = """__pycache__/
*.pyc
*.egg-info/
build/
.ipynb_checkpoints/
# training outputs written by the notebooks
runs/
loss_report.txt
*.pth
*.pt
"""

"""Gradescope's autograder package for one homework: ``python -m autograder gradescope HW -o autograder.zip``.

The zip holds what Gradescope's autograder format asks for (``setup.sh``, run once when the image is built, and
``run_autograder``, run for every submission), ``requirements.txt`` and ``source/``: the course library and the
autograder, without solutions, examples or tests, imported from there (never installed into the environment the
sandboxed notebook process may read). ``run_autograder`` grades the submitted notebook with
``python -m autograder grade`` (sandboxed notebook process, judge outside it) and writes
``/autograder/results/results.json`` in Gradescope's format.
"""
from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path

from autograder.course.nbgrader_course import REPO

SETUP = """#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image.
set -euo pipefail
apt-get update -qq && apt-get install -y -qq python3 python3-pip python3-venv util-linux > /dev/null
python3 -m venv /autograder/venv
/autograder/venv/bin/pip install -q --upgrade pip
/autograder/venv/bin/pip install -q torch torchvision --index-url https://download.pytorch.org/whl/cpu
# The dependencies only: the course's code stays in /autograder/source, outside the environment that the
# sandboxed notebook process may read (an installed copy would put the checks' references within its reach).
/autograder/venv/bin/pip install -q -r /autograder/requirements.txt
"""

RUN = """#!/usr/bin/env bash
# Gradescope runs this for every submission: the notebook is in $ROOT/submission, the results go to
# $ROOT/results/results.json. (ROOT is /autograder on Gradescope.)
set -uo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
PYTHON="${AUTOGRADER_PYTHON:-$ROOT/venv/bin/python}"
mkdir -p "$ROOT/results"
notebook="$(find "$ROOT/submission" -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' | sort | head -n 1)"
if [ -z "$notebook" ]; then
  printf '{"score": 0, "output": "No notebook (.ipynb) was submitted: upload %s.ipynb.", "tests": []}\\n' \\
    "HOMEWORK" > "$ROOT/results/results.json"
  exit 0
fi
cd "$ROOT/source"
export PYTHONPATH="$ROOT/source"
exec "$PYTHON" -m autograder grade "$notebook" --homework HOMEWORK --jobs 1 --gradescope "$ROOT/results/results.json"
"""

# What ``source/`` holds: the installable package (library and graders) and nothing of the instructor's answers.
SOURCE_FILES = ("pyproject.toml", "course.json", "README.md")
SOURCE_FOLDERS = ("shared", "autograder")
_LEFT_OUT = ("__pycache__", ".ipynb_checkpoints")


def _source_files(repo: Path = REPO) -> list[Path]:
    files = [repo / name for name in SOURCE_FILES if (repo / name).is_file()]
    for folder in SOURCE_FOLDERS:
        files += sorted(p for p in (repo / folder).rglob("*") if p.is_file()
                        and not any(part in _LEFT_OUT for part in p.parts) and p.suffix not in (".pyc", ".pt"))
    return files


def requirements(repo: Path = REPO) -> str:
    """The course library's dependencies (pyproject.toml) and the grader's own (nbformat, IPython)."""
    try:
        import tomllib  # Python 3.11+

        dependencies = tomllib.loads((repo / "pyproject.toml").read_text())["project"]["dependencies"]
    except ImportError:  # Python 3.10: the installed package's metadata says the same
        from importlib.metadata import requires

        dependencies = [r for r in requires("gan-course") or [] if "extra ==" not in r]
    return "\n".join([*dependencies, "nbformat>=5.7", "ipython>=8"]) + "\n"


def build(homework: str, output: str | os.PathLike, repo: Path = REPO) -> Path:
    """Write the autograder zip of ``homework`` to ``output``; returns its path."""
    from autograder.pipeline.registry import homeworks

    if homework not in homeworks():
        raise ValueError(f"no homework {homework!r}; the homeworks are {', '.join(homeworks())}")
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    executable = (stat.S_IFREG | 0o755) << 16
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (("setup.sh", SETUP), ("run_autograder", RUN.replace("HOMEWORK", homework))):
            info = zipfile.ZipInfo(name)
            info.external_attr = executable
            archive.writestr(info, text)
        archive.writestr("requirements.txt", requirements(repo))
        for path in _source_files(repo):
            archive.write(path, f"source/{path.relative_to(repo)}")
    return output

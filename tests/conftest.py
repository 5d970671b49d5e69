"""Shared fixtures: paths, and the solution notebook executed once per test session."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from autograder.pipeline.registry import homeworks

ROOT = Path(__file__).resolve().parents[1]
HOMEWORKS = homeworks()  # every grader package autograder/hwN_*, as the CLI finds them


def solution_path(hw: str) -> Path:
    return ROOT / "solutions" / hw / f"{hw}.ipynb"


def release_path(hw: str) -> Path:
    return ROOT / "assignments" / hw / f"{hw}.ipynb"


def release_with_one_extra_cell(hw: str, source: str):
    """The release's graded code cells (its blank answer cells and its test cells, with their nbgrader metadata)
    after one extra cell of ``source``: what a hostile submission needs. The release's explanations, set-up,
    training and plots are left out: they cost seconds per notebook and play no part in what such a cell does."""
    import nbformat

    from autograder.pipeline.notebook import nbgrader_meta

    nb = nbformat.read(str(release_path(hw)), as_version=4)
    graded = [cell for cell in nb.cells if cell.cell_type == "code"
              and (nbgrader_meta(cell).get("grade") or nbgrader_meta(cell).get("solution"))]
    nb.cells = [nbformat.v4.new_code_cell(source)] + graded
    return nb


def processes_ending_with(*args: str) -> list[str]:
    """PIDs of the processes whose command line ends with ``args`` (a marker a test's escaping process carries)."""
    tail = "".join(f"{a}\0" for a in args).encode()
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and (proc / "cmdline").read_bytes().endswith(tail):
                found.append(proc.name)
        except OSError:
            pass
    return found


@pytest.fixture(scope="session", autouse=True)
def _environment():
    os.environ.setdefault("GAN_COURSE_FAST", "1")
    os.environ.setdefault("MPLBACKEND", "Agg")
    # nbgrader runs helpers (alembic, jupyter) as programs: use this interpreter's.
    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")


@pytest.fixture(autouse=True)
def _close_figures():
    """Plots are drawn to nowhere (Agg) and stay open: close them after each test, so none piles up."""
    yield
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")


def pytest_xdist_make_scheduler(config, log):
    """With pytest-xdist (``bin/test`` runs two workers): keep what shares an expensive module fixture together.

    Each homework's end-to-end tests share one autograded course, its solution checks one executed
    solution, and the metric tests their cached Inception statistics: each is one unit of work, so a course
    is autograded (and a reference set embedded) once. Every other test is a unit of its own, spread over
    the workers. (xdist's own ``--dist loadgroup`` would do this with markers, but with
    pytest 9 it no longer groups.)
    """
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class BySharedFixture(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            for module in ("test_nbgrader_e2e.py", "test_checks.py::test_solution_passes",
                           "test_checks.py::test_the_judge_survives", "test_grading_attacks.py",
                           "test_nothing_left_is_trusted.py"):
                if module in nodeid:
                    group = "test_checks.py::solution" if module.startswith("test_checks") else module
                    return group + next((f"[{hw}]" for hw in HOMEWORKS if hw in nodeid), "[hw1_mnist_gan]")
            if "test_shared_metrics.py" in nodeid:
                return "test_shared_metrics.py"
            return nodeid

    return BySharedFixture(config, log)

"""pytest plugin: ``--notebook PATH`` grades a notebook, with points and a per-problem summary.

Registered through the ``pytest11`` entry point, so ``pytest autograder/hw1_mnist_gan --notebook
sub.ipynb`` works wherever the package is installed. The notebook executes once, in a process of its
own, and ``student`` is the namespace it hands over.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from .registry import Check, points_of


def pytest_addoption(parser):
    group = parser.getgroup("autograder")
    group.addoption("--notebook", default=None, help="grade this notebook: execute it, then run the checks on it")
    group.addoption("--cell-timeout", type=float, default=120.0, help="seconds each notebook cell may run (default 120)")
    group.addoption("--grade-json", default=None, help="write the per-problem scores to this JSON file")


def pytest_configure(config):
    config.addinivalue_line("markers", "points(n): points a graded problem is worth")
    config._grades = []  # filled as checks finish


@pytest.fixture(scope="session")
def student(request, tmp_path_factory):
    """The notebook's names, as the grader receives them: executed in a process of its own, then handed over.

    The notebook's own code never runs in this process (a student's patches stay in theirs); the
    checks call the handed-over functions here. ``python -m autograder grade`` goes further and runs
    each check in a fresh process.
    """
    path = request.config.getoption("--notebook")
    if not path:
        pytest.skip("graded checks need --notebook PATH (the notebook to grade)")
    from . import handoff
    from .batch import execute_and_hand_off
    from .student import Student

    answers, error = execute_and_hand_off(Path(path).resolve(), tmp_path_factory.mktemp("submission"),
                                          cell_timeout=request.config.getoption("--cell-timeout"))
    if error:
        pytest.fail(error, pytrace=False)
    received = handoff.read(answers)
    received.install_in_main()
    return Student(received.namespace, received.cell_errors, received.unavailable)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    """Graded checks run in a fresh temporary directory, as they do from nbgrader's test cells."""
    if "student" not in getattr(item, "fixturenames", ()):
        yield
        return
    from .grading import in_scratch_directory

    with in_scratch_directory():
        yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    function = getattr(item, "function", None)
    if function is None or "student" not in getattr(item, "fixturenames", ()):
        return
    try:
        points = points_of(function)
    except ValueError:
        return
    # A check scores when its call passed; a failure in setup or call scores 0.
    if report.when == "call" or (report.when == "setup" and not report.passed):
        message = "" if report.passed else _message(call, report)
        check = Check(function.__module__.split(".")[-2], function.__name__, function, points)
        item.config._grades.append({
            "check": check.id,
            "title": check.label,
            "points": points,
            "score": points if report.passed else 0.0,
            "message": message,
        })


def _message(call, report) -> str:
    if report.skipped:
        return "skipped"
    if call.excinfo is None:
        return "failed"
    error = call.excinfo.value
    text = str(error) if isinstance(error, AssertionError) else f"{type(error).__name__}: {error}"
    return " ".join(text.split())


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    grades = getattr(config, "_grades", [])
    if not grades:
        return
    from .report import format_table

    terminalreporter.write_line("")
    terminalreporter.write_line(format_table(grades))
    path = config.getoption("--grade-json")
    if path:
        with open(path, "w") as f:
            json.dump({"notebook": config.getoption("--notebook"), "grades": grades}, f, indent=2)

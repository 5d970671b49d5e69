"""pytest plugin: ``--notebook PATH`` grades a notebook, with points and a per-problem summary.

Registered through the ``pytest11`` entry point, so ``pytest autograder/hw1_mnist_gan --notebook
sub.ipynb`` works wherever the package is installed (the checks in ``checks/pNN_*.py`` are collected by
:func:`pytest_collect_file`). The notebook executes once, in a sandboxed process of its
own, which answers the judge's requests; each check (``answer``: its problem's plain data) is judged here.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from autograder.pipeline.registry import CHECK_FILE, Check, points_for
from autograder.integrity.student_text import clean


def pytest_addoption(parser):
    group = parser.getgroup("autograder")
    group.addoption("--notebook", default=None, help="grade this notebook: execute it, then run the checks on it")
    group.addoption("--cell-timeout", type=float, default=120.0, help="seconds each notebook cell may run (default 120)")
    group.addoption("--grade-json", default=None, help="write the per-problem scores to this JSON file")


def pytest_collect_file(file_path, parent):
    """The graded checks (``autograder/<homework>/checks/pNN_*.py``) are collected like test files, so that
    ``pytest --pyargs autograder.<homework> --notebook NB`` runs them; they are named as checks, not tests."""
    if (file_path.parent.name == "checks" and file_path.parent.parent.name.startswith("hw")
            and file_path.parent.parent.parent.name == "autograder" and CHECK_FILE.fullmatch(file_path.name)):
        return pytest.Module.from_parent(parent, path=file_path)
    return None


def pytest_configure(config):
    config._grades = []  # filled as checks finish


@pytest.fixture(scope="session")
def _graded_notebook(request, tmp_path_factory):
    """The notebook executed once, in a sandboxed process of its own, answering the judge's requests for every
    problem of its homework: (homework, inputs per problem, answers folder)."""
    path = request.config.getoption("--notebook")
    if not path:
        pytest.skip("graded checks need --notebook PATH (the notebook to grade)")
    from autograder.pipeline import judge, wire
    from autograder.pipeline.batch import recognise_homework, run_notebook_process
    from autograder.pipeline.registry import checks

    notebook = Path(path).resolve()
    homework = recognise_homework(notebook)
    inputs = judge.inputs_for(c.id for c in checks(homework))
    folder = tmp_path_factory.mktemp("submission")
    (folder / "answers").mkdir()
    (folder / "requests").write_bytes(wire.dump_requests(inputs))
    stopped = run_notebook_process(notebook, folder, ["--requests", str(folder / "requests"), "--answers",
                                                      str(folder / "answers")],
                                   cell_timeout=request.config.getoption("--cell-timeout"))
    if stopped and not any((folder / "answers").iterdir()):
        pytest.fail(stopped.text(), pytrace=False)
    return homework, inputs, folder / "answers"


@pytest.fixture
def answer(request, _graded_notebook):
    """This problem's answer from the notebook's process, judged here (the notebook's code never runs here)."""
    from autograder.pipeline import judge, wire
    from autograder.pipeline.answer import Answer

    homework, inputs, folder = _graded_notebook
    check_id = f"{homework}::{request.node.function.__name__}"
    if check_id not in inputs:
        pytest.skip(f"{check_id} is not a problem of the notebook's homework ({homework})")
    blob = judge.read_answer_file(folder, check_id)
    verdict = None
    if blob is None:
        verdict = judge.verdict(judge_check(check_id), inputs[check_id], None)
    else:
        try:
            data = wire.loads(blob)
        except wire.BadAnswer:
            verdict = judge.verdict(judge_check(check_id), inputs[check_id], blob)
        else:
            if not isinstance(data, dict) or data.get("__nonce__") != inputs[check_id]["nonce"]:
                verdict = judge.verdict(judge_check(check_id), inputs[check_id], blob)
    if verdict is not None:
        from autograder.toolkit.expect import CheckFailed

        raise CheckFailed(verdict.message, verdict.student_text or None)
    return Answer(data, inputs[check_id])


def judge_check(check_id: str):
    from autograder.pipeline.registry import get_check

    return get_check(check_id)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    function = getattr(item, "function", None)
    if function is None or "answer" not in getattr(item, "fixturenames", ()):
        return
    homework = function.__module__.split(".")[1] if function.__module__.startswith("autograder.hw") else None
    if homework is None or not CHECK_FILE.fullmatch(function.__module__.split(".")[-1] + ".py"):
        return
    points = points_for(homework, function.__name__)
    # A check scores when its call passed; a failure in setup or call scores 0.
    if report.when == "call" or (report.when == "setup" and not report.passed):
        message = "" if report.passed else _message(call, report)
        said = getattr(call.excinfo.value, "student_text", None) if call.excinfo is not None else None
        check = Check(homework, function.__name__, function, points)
        item.config._grades.append({
            "check": check.id,
            "title": check.label,
            "points": points,
            "score": points if report.passed else 0.0,
            "message": message,
            "student_text": clean(said) if said and not report.passed else "",
        })


def _message(call, report) -> str:
    if report.skipped:
        return "skipped"
    if call.excinfo is None:
        return "failed"
    error = call.excinfo.value
    text = str(error) if isinstance(error, AssertionError) else f"{type(error).__name__}: {error}"
    return " ".join(clean(text).split())


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    grades = getattr(config, "_grades", [])
    if not grades:
        return
    if config.getoption("--notebook") is None:  # nothing was graded: a table of zeros would read as a result
        homeworks = sorted({g["check"].split("::")[0] for g in grades})
        terminalreporter.write_line("")
        terminalreporter.write_line(
            f"No notebook was graded: the checks need the notebook to grade. Pass it with --notebook, e.g. "
            f"pytest --pyargs autograder.{homeworks[0]} --notebook {homeworks[0]}.ipynb "
            f"(or: python -m autograder grade {homeworks[0]}.ipynb).")
        return
    from autograder.pipeline.report import format_table

    terminalreporter.write_line("")
    terminalreporter.write_line(format_table(grades))
    path = config.getoption("--grade-json")
    if path:
        with open(path, "w") as f:
            json.dump({"notebook": config.getoption("--notebook"), "grades": grades}, f, indent=2)

"""Execute a notebook's code cells into a namespace, the way a kernel would, for grading.

``python -m autograder.pipeline.notebook NOTEBOOK --requests FILE --answers DIR`` is the student side of command-line
grading: it executes the notebook in this (disposable, sandboxed) process, then answers the judge's requests
with plain data (:mod:`autograder.pipeline.runner`); the verdicts are decided elsewhere (:mod:`autograder.pipeline.judge`).
nbgrader test cells are skipped (the grader runs their checks itself); a cell that raises or runs
past the time limit is recorded and execution goes on, as nbgrader does.
"""
from __future__ import annotations

import contextlib
import os
import signal
import sys
from pathlib import Path

import nbformat

from autograder.pipeline.student import Student


class CellTimeout(Exception):
    pass


def nbgrader_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def is_test_cell(cell) -> bool:
    meta = nbgrader_meta(cell)
    return cell.cell_type == "code" and meta.get("grade", False) and not meta.get("solution", False)


def cell_label(cell, index: int) -> str:
    return nbgrader_meta(cell).get("grade_id") or f"cell {index}"


SANITY_PREFIXES = ("# Sanity check", "# Helpers for the sanity checks")


def is_sanity_cell(cell) -> bool:
    """A visible check after an answer (or the helpers those checks share); students run these themselves."""
    return cell.cell_type == "code" and cell.source.lstrip().startswith(SANITY_PREFIXES)


def execute_notebook(path: str | os.PathLike, cell_timeout: float = 120, workdir: str | os.PathLike | None = None,
                     replace: dict[str, str] | None = None, quiet: bool = True, answers_only: bool = False,
                     sanity: bool = False) -> Student:
    """Run every non-test code cell of ``path`` and return the resulting :class:`Student`.

    ``replace`` maps a cell's ``grade_id`` to new source (used to inject wrong answers in tests).
    ``answers_only`` runs just the set-up cell (the first code cell) and the answer cells: enough
    for the checks, which never depend on training results; with ``sanity`` the visible sanity-check
    cells run too (their errors are recorded like any cell's, under ``cell N``).
    Cells run with ``workdir`` (default: the notebook's folder) as the current directory, fast
    mode on, and matplotlib drawing to nowhere.
    """
    os.environ.setdefault("GAN_COURSE_FAST", "1")
    os.environ.setdefault("MPLBACKEND", "Agg")
    from IPython.core.interactiveshell import InteractiveShell

    nb = nbformat.read(str(path), as_version=4)
    shell = InteractiveShell.instance()
    shell.reset(new_session=False)  # a fresh namespace for every notebook
    shell.user_ns["__name__"] = "__main__"
    errors: dict[str, str] = {}
    replace = dict(replace or {})
    previous_dir = os.getcwd()
    os.chdir(workdir or Path(path).resolve().parent)
    try:
        for index, cell in cells_to_run(nb, answers_only, sanity):
            label = cell_label(cell, index)
            source = replace.pop(label, cell.source)
            error = _run_cell(shell, source, cell_timeout, quiet)
            if error:
                errors[label] = error
    finally:
        os.chdir(previous_dir)
    if replace:
        raise KeyError(f"no cells with grade_id {sorted(replace)} in {path}")
    return Student(shell.user_ns, errors)


def cells_to_run(nb, answers_only: bool = False, sanity: bool = False) -> list[tuple[int, object]]:
    """(index, cell) of the code cells :func:`execute_notebook` runs: all but the hidden test cells, or with
    ``answers_only`` the set-up cell (the first code cell) and the answer cells, plus the sanity cells with
    ``sanity``."""
    setup_cell = next((i for i, cell in enumerate(nb.cells) if cell.cell_type == "code"), None)
    return [(index, cell) for index, cell in enumerate(nb.cells)
            if cell.cell_type == "code" and not is_test_cell(cell)
            and (not answers_only or index == setup_cell or nbgrader_meta(cell).get("solution")
                 or (sanity and is_sanity_cell(cell)))]


def _run_cell(shell, source: str, timeout: float, quiet: bool) -> str | None:
    def on_alarm(signum, frame):
        raise CellTimeout(f"cell ran longer than {timeout:g} s")

    sink = open(os.devnull, "w") if quiet else None
    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        with contextlib.ExitStack() as stack:
            if sink is not None:
                stack.enter_context(contextlib.redirect_stdout(sink))
                stack.enter_context(contextlib.redirect_stderr(sink))
            result = shell.run_cell(source, store_history=False, silent=False)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
        if sink is not None:
            sink.close()
        pyplot = sys.modules.get("matplotlib.pyplot")
        if pyplot is not None:  # figures are drawn to nowhere when grading: free them after every cell
            pyplot.close("all")
    error = result.error_before_exec or result.error_in_exec
    if error is None:
        return None
    return f"{type(error).__name__}: {error}".splitlines()[0][:200]


def answer_requests(student: Student, requests: dict, folder: str, timeout: float = 120) -> None:
    """The student's side of command-line grading: each requested problem's probe on the executed notebook
    (:mod:`autograder.pipeline.runner`), one answer file each in ``folder``, each probe under a time limit."""
    from autograder.pipeline import runner

    def on_alarm(signum, frame):
        raise CellTimeout(f"the check's calls into your code ran longer than {timeout:g} s")

    old = signal.signal(signal.SIGALRM, on_alarm)
    try:
        for check_id, inputs in requests.items():
            signal.setitimer(signal.ITIMER_REAL, timeout)
            try:
                runner.write_answer(folder, check_id, student, inputs)
            except CellTimeout:
                pass  # no answer file: the judge scores the problem 0 and says it was not answered
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
    finally:
        signal.signal(signal.SIGALRM, old)


def main(argv: list[str] | None = None) -> int:
    """Execute a notebook, then answer the judge's requests (the untrusted half of command-line grading).

    ``--requests FILE --answers DIR``: the judge's inputs per problem (:mod:`autograder.pipeline.wire`), and where the
    answers go.
    """
    import argparse

    parser = argparse.ArgumentParser(prog="python -m autograder.pipeline.notebook")
    parser.add_argument("notebook")
    parser.add_argument("--requests", required=True, help="the judge's inputs for each problem")
    parser.add_argument("--answers", required=True, help="folder for the answer files")
    parser.add_argument("--cell-timeout", type=float, default=120)
    args = parser.parse_args(argv)
    from autograder.pipeline import runner, wire  # noqa: F401 (torch and the runner loaded first: a cell that exhausts the memory
    # limit still leaves a process that can answer, so its problems fail with its MemoryError)

    with open(args.requests, "rb") as f:  # read before the notebook runs (the judge keeps its own copy anyway)
        requests = wire.load_requests(f.read())
    student = execute_notebook(os.path.abspath(args.notebook), cell_timeout=args.cell_timeout, workdir=os.getcwd())
    answer_requests(student, requests, args.answers, timeout=args.cell_timeout)
    return 0


if __name__ == "__main__":
    from autograder import exit_now

    exit_now(main())  # the answer files are in place: nothing is left to save

"""Graders for the course. Each graded problem is one pytest test function in ``autograder/hwN_x/``.

The same function runs three ways: from a hidden nbgrader test cell through :func:`grade`,
under pytest with ``--notebook PATH``, and through ``python -m autograder grade PATH``.
"""
import os
import sys

# nbformat validates with jsonschema, which imports its optional IRI checker, rfc3987-syntax, if installed (it
# comes with Jupyter's event schemas); that module compiles a grammar at import, 2.5 s on two cores, in every
# grading process. Notebooks hold no IRIs to check, so the course's processes go without it.
sys.modules.setdefault("rfc3987_syntax", None)

from autograder.pipeline.grading import GradingFailure, grade, run_check  # noqa: E402


def exit_now(code: int | None = 0) -> None:
    """End this process once its results are written, without the interpreter's teardown: with torch loaded,
    tearing down its modules costs seconds (2.5 s of a 5 s start on 2 cores)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code or 0)


__all__ = ["GradingFailure", "exit_now", "grade", "run_check"]

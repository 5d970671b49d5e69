"""Graders for the course. Each graded problem is one pytest test function in ``autograder/hwN_x/``.

The same function runs three ways: from a hidden nbgrader test cell through :func:`grade`,
under pytest with ``--notebook PATH``, and through ``python -m autograder grade PATH``.
"""
import sys

# nbformat validates with jsonschema, which imports its optional IRI checker, rfc3987-syntax, if installed (it
# comes with Jupyter's event schemas); that module compiles a grammar at import, 2.5 s on two cores, in every
# grading process. Notebooks hold no IRIs to check, so the course's processes go without it.
sys.modules.setdefault("rfc3987_syntax", None)

from .grading import GradingFailure, grade, run_check  # noqa: E402

__all__ = ["GradingFailure", "grade", "run_check"]

"""Graders for the course. Each graded problem is one pytest test function in ``autograder/hwN_x/``.

The same function runs three ways: from a hidden nbgrader test cell through :func:`grade`,
under pytest with ``--notebook PATH``, and through ``python -m autograder grade PATH``.
"""
from .grading import GradingFailure, grade, run_check

__all__ = ["GradingFailure", "grade", "run_check"]

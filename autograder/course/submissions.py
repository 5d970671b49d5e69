"""Build submissions: a release notebook filled in with answers, as a student would hand it in.

Used to make the bundled example submission and the submissions of the end-to-end tests
(solution, blank, a syntax error, an exception, an infinite loop, realistic wrong answers).
"""
from __future__ import annotations

import copy
import os

import nbformat

from autograder.pipeline.notebook import nbgrader_meta

_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


def strip_solution_markers(source: str) -> str:
    """The solution source as a student would have typed it: the marker lines removed."""
    return "\n".join(line for line in source.splitlines() if line.strip() not in _MARKERS)


def answer_sources(solution_path: str | os.PathLike) -> dict[str, str]:
    """grade_id → the instructor's answer (markers removed) for every answer cell."""
    nb = nbformat.read(str(solution_path), as_version=4)
    return {
        nbgrader_meta(cell)["grade_id"]: strip_solution_markers(cell.source)
        for cell in nb.cells
        if nbgrader_meta(cell).get("solution")
    }


def fill_release(release_path, solution_path, overrides: dict[str, str] | None = None,
                 blank: tuple[str, ...] = ()) -> nbformat.NotebookNode:
    """The release notebook with every answer cell filled from the solution.

    ``overrides`` maps grade_id → source to hand in instead (a wrong answer); cells in
    ``blank`` are left as released (unanswered).
    """
    answers = answer_sources(solution_path)
    overrides = dict(overrides or {})
    unknown = set(overrides) - set(answers)
    if unknown:
        raise KeyError(f"no answer cells {sorted(unknown)}; known: {sorted(answers)}")
    nb = copy.deepcopy(nbformat.read(str(release_path), as_version=4))
    for cell in nb.cells:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if not nbgrader_meta(cell).get("solution") or grade_id in blank:
            continue
        cell.source = overrides.get(grade_id, answers[grade_id])
    return nb


def build_example(release_path, solution_path, mutants, wrong: list[str], written: dict[str, str]):
    """A bundled example submission: the solution with the mutants named in ``wrong`` applied and
    the written answers ``written`` (grade_id → text) in place of the model answers."""
    answers = answer_sources(solution_path)
    overrides = dict(written)
    for mutant in (m for m in mutants if m.name in wrong):
        overrides[mutant.cell] = mutant.apply(answers[mutant.cell])
    return fill_release(release_path, solution_path, overrides)

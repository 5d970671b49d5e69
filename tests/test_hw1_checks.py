"""Every HW1 check passes on the solution and catches every wrong answer in the catalogue."""
from __future__ import annotations

import pytest

from autograder.hw1_mnist_gan.mutants import MUTANTS
from autograder.notebook import execute_notebook
from autograder.registry import checks, get_check
from autograder.submissions import answer_sources

from .conftest import solution_path

HW = "hw1_mnist_gan"
SOLUTION = solution_path(HW)


@pytest.fixture(scope="module")
def solution(tmp_path_factory):
    return execute_notebook(SOLUTION, workdir=tmp_path_factory.mktemp("sol"), answers_only=True)


def test_hw1_has_eleven_problems_worth_100_points():
    found = checks(HW)
    assert [c.problem for c in found] == [f"p{i:02d}" for i in range(1, 12)]
    assert sum(c.points for c in found) == 100


@pytest.mark.parametrize("check", checks(HW), ids=lambda c: c.name)
def test_solution_passes(check, solution):
    assert not solution.cell_errors, solution.cell_errors
    check.function(solution)


def test_catalogue_is_large_and_covers_every_problem():
    assert len(MUTANTS) >= 12
    assert {m.caught_by for m in MUTANTS} == {c.name for c in checks(HW)}
    assert len({m.name for m in MUTANTS}) == len(MUTANTS)


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: m.name)
def test_mutant_is_caught(mutant, tmp_path):
    source = mutant.apply(answer_sources(SOLUTION)[mutant.cell])
    student = execute_notebook(SOLUTION, workdir=tmp_path, answers_only=True, replace={mutant.cell: source})
    check = get_check(f"{HW}::{mutant.caught_by}")
    with pytest.raises(AssertionError):
        try:
            check.function(student)
        except AssertionError:
            raise
        except Exception as error:  # the wrong answer crashed the check: also a failure for the student
            raise AssertionError(str(error)) from error

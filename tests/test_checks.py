"""Every homework's checks pass on its solution and catch every wrong answer in its catalogue."""
from __future__ import annotations

import importlib

import pytest

from autograder.notebook import execute_notebook
from autograder.registry import checks, get_check
from autograder.submissions import answer_sources

from .conftest import HOMEWORKS, solution_path

MINIMUM_MUTANTS = {"hw1_mnist_gan": 12, "hw2_dcgan_cifar10": 15}
CHECKS = [pytest.param(hw, check, id=check.id) for hw in HOMEWORKS for check in checks(hw)]
MUTANTS = [pytest.param(hw, m, id=f"{hw}::{m.name}") for hw in HOMEWORKS for m in importlib.import_module(
    f"autograder.{hw}.mutants").MUTANTS]


@pytest.fixture(scope="module")
def solution(tmp_path_factory):
    """hw → its executed solution (answer cells only).

    Notebooks share one IPython shell whose namespace is reset for every notebook, so only the
    most recently executed homework is kept, and switching homework executes again.
    """
    latest = {}

    def get(hw):
        if hw not in latest:
            latest.clear()
            latest[hw] = execute_notebook(solution_path(hw), workdir=tmp_path_factory.mktemp(hw), answers_only=True)
        return latest[hw]

    return get


@pytest.mark.parametrize("hw", HOMEWORKS)
def test_eleven_problems_worth_100_points(hw):
    found = checks(hw)
    assert [c.problem for c in found] == [f"p{i:02d}" for i in range(1, 12)]
    assert sum(c.points for c in found) == 100


@pytest.mark.parametrize("hw,check", CHECKS)
def test_solution_passes(solution, hw, check):
    student = solution(hw)
    assert not student.cell_errors, student.cell_errors
    check.function(student)


@pytest.mark.parametrize("hw", HOMEWORKS)
def test_catalogue_is_large_and_covers_every_problem(hw):
    mutants = importlib.import_module(f"autograder.{hw}.mutants").MUTANTS
    assert len(mutants) >= MINIMUM_MUTANTS[hw]
    assert {m.caught_by for m in mutants} == {c.name for c in checks(hw)}
    assert len({m.name for m in mutants}) == len(mutants)


@pytest.mark.parametrize("hw,mutant", MUTANTS)
def test_mutant_is_caught(hw, mutant, tmp_path):
    source = mutant.apply(answer_sources(solution_path(hw))[mutant.cell])
    student = execute_notebook(solution_path(hw), workdir=tmp_path, answers_only=True, replace={mutant.cell: source})
    check = get_check(f"{hw}::{mutant.caught_by}")
    with pytest.raises(AssertionError):
        try:
            check.function(student)
        except AssertionError:
            raise
        except Exception as error:  # the wrong answer crashed the check: also a failure for the student
            raise AssertionError(str(error)) from error

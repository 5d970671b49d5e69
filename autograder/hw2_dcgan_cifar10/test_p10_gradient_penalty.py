import pytest

from autograder.penalty_check import judge_gradient_penalty


@pytest.mark.points(10)
def test_p10_gradient_penalty(answer):
    """Gradient penalty"""
    judge_gradient_penalty(answer)

import pytest

from autograder.penalty_check import judge_gradient_penalty


@pytest.mark.points(10)
def test_p10_gradient_penalty(answer):
    """Gradient penalty"""
    # The same function as in HW2, checked the same way (its formula ignores image size).
    judge_gradient_penalty(answer)

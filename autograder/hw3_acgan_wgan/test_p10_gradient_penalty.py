import pytest

from autograder.hw2_dcgan_cifar10.test_p10_gradient_penalty import test_p10_gradient_penalty as same_as_hw2


@pytest.mark.points(10)
def test_p10_gradient_penalty(student):
    """Gradient penalty"""
    same_as_hw2(student)  # the same function as in HW2, checked by the same check (its formula ignores image size)

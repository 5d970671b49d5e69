import pytest

from autograder.hw2_dcgan_cifar10.test_p09_wasserstein_losses import test_p09_wasserstein_losses as same_as_hw2


@pytest.mark.points(5)
def test_p07_wasserstein_losses(student):
    """Wasserstein losses"""
    same_as_hw2(student)  # the same functions as in HW2, checked by the same check

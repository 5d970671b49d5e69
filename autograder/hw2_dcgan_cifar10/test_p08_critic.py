import pytest

from autograder.hw2_dcgan_cifar10 import reference as ref
from autograder.probes import expect_critic


@pytest.mark.points(5)
def test_p08_critic(student):
    """WGAN critic"""
    expect_critic(lambda: student.Critic(ndf=8), (3, 32, 32), "Critic(ndf=8)", ref.device_of(student))

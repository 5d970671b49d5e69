import pytest

from autograder.hw3_acgan_wgan import reference as ref
from autograder.probes import expect_critic


@pytest.mark.points(5)
def test_p06_critic(student):
    """WGAN critic"""
    expect_critic(lambda: student.WGANCritic(ndf=8), ref.IMAGE, "WGANCritic(ndf=8)", ref.device_of(student))

import pytest

from autograder.conditioning import expect_conditional_generator
from autograder.hw3_acgan_wgan import reference as ref


@pytest.mark.points(10)
def test_p01_acgan_generator(student):
    """ACGAN generator"""
    expect_conditional_generator(lambda n_classes: student.ACGenerator(nz=20, n_classes=n_classes, ngf=8),
                                 "ACGenerator(nz=20, n_classes=10, ngf=8)", "ACGenerator", 20, ref.device_of(student),
                                 "7×7 from the Linear layer, then two ConvTranspose2d(kernel 4, stride 2, padding 1): "
                                 "14×14, 28×28.")

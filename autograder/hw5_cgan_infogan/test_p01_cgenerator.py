import pytest
from torch import nn

from autograder.conditioning import expect_conditional_generator
from autograder.expect import expect
from autograder.hw5_cgan_infogan import reference as ref


@pytest.mark.points(10)
def test_p01_cgenerator(student):
    """Conditional generator"""
    G = expect_conditional_generator(lambda n_classes: student.CGenerator(nz=20, n_classes=n_classes, hidden=16),
                                     "CGenerator(nz=20, n_classes=10, hidden=16)", "CGenerator", 20,
                                     ref.device_of(student),
                                     "The last Linear layer gives 784 numbers per image: reshape them to N×1×28×28.")
    widths = sorted({m.out_features for m in G.modules() if isinstance(m, nn.Linear)})
    expect(widths == [16, 32, 784], f"With hidden=16 the Linear layers should have 16, 32 and 784 outputs, found "
           f"{widths}: use the hidden argument (hidden, then 2·hidden).")

from autograder.toolkit.device_probe import expect_on_meta
from autograder.toolkit.penalty_check import judge_gradient_penalty


def test_p10_gradient_penalty(answer):
    """Gradient penalty"""
    # The same function as in HW2, checked the same way (its formula ignores image size).
    judge_gradient_penalty(answer)
    expect_on_meta(answer["meta"], "gradient_penalty with the critic and the images on the device meta",
                   "Draw ε where the images are: torch.rand(len(real), 1, 1, 1, device=real.device).")

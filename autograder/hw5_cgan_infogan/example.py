"""The bundled example submission: a realistic, partly wrong hand-in of HW5.

Three answers carry classic mistakes (a softmax before the cross-entropy of the categorical code, an
information optimiser that trains Q but not G, samples drawn in training mode), so the demo shows partial
credit (70 / 100 autograded) and feedback that explains each loss. Rebuild with ``python -m autograder example``.
"""
from __future__ import annotations

from autograder.course.submissions import build_example
from autograder.hw5_cgan_infogan.mutants import MUTANTS

WRONG = ["loss_softmax_first", "opt_info_without_g", "samples_train_mode"]
FEEDBACK_WORDS = ("softmax", "does not hold G", "eval mode")  # the feedback names each mistake

WRITTEN = {
    "a_cgan": "The CGAN draws 1 and 7 best and 8 worst. D has to see the label, otherwise G could draw any digit. "
              "ACGAN's D predicts the class instead of reading it.",
    "b_infogan": "The category picks the digit (purity 0.8, 4 and 9 share one) and the continuous codes change the "
                 "slant and the thickness. lambda_cont is smaller because the squared error is bigger. With lambda = 0 "
                 "it is a normal GAN. InfoGAN's categories can also be styles.",
}


def build(release_path, solution_path):
    return build_example(release_path, solution_path, MUTANTS, WRONG, WRITTEN)

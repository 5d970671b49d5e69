"""The bundled example submission: a realistic, partly wrong hand-in of HW1.

Three answers carry classic mistakes (seed 003's 29×29 generator, fake images not detached in
D's step, the whole model pickled), so the demo shows partial credit (70 / 100 autograded)
and feedback that explains each loss. Rebuild with ``python -m autograder example``.
"""
from __future__ import annotations

from autograder.course.submissions import build_example
from autograder.hw1_mnist_gan.mutants import MUTANTS

WRONG = ["gen_29x29", "d_fake_not_detached", "save_whole_model"]

WRITTEN = {
    "a1_mode_collapse": "Mode collapse is when the generator only makes a few kinds of digits, for example only 1s. "
                        "It happens because G just needs to fool D. Remedies: minibatch discrimination, a WGAN loss.",
    "a2_wgan": "WGAN removes the sigmoid and uses the Wasserstein distance with weight clipping. "
               "It helps against mode collapse because the gradients are better.",
    "b_lr_study": "Equal rates were the most stable. With D at 1e-3 the discriminator won and the loss got stuck at 100.",
    "c_discussion": "The losses change fast at first and then flatten; digits appear after a few epochs.",
}


def build(release_path, solution_path):
    return build_example(release_path, solution_path, MUTANTS, WRONG, WRITTEN)

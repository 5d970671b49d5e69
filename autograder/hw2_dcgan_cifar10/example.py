"""The bundled example submission: a realistic, partly wrong hand-in of HW2.

Three answers carry classic mistakes (the generator's activation switch ignored, the gradient
penalty taken at the real images instead of interpolates, a Sigmoid left in the WGAN critic), so
the demo shows partial credit (70 / 100 autograded) and feedback that explains each loss.
Rebuild with ``python -m autograder example``.
"""
from __future__ import annotations

from autograder.course.submissions import build_example
from autograder.hw2_dcgan_cifar10.mutants import MUTANTS

WRONG = ["gen_activation_switch_ignored", "gp_on_real_images", "critic_sigmoid"]
FEEDBACK_WORDS = ("LeakyReLU", "interpolates", "Sigmoid")  # the feedback names each mistake

WRITTEN = {
    "b_ablations": "BatchNorm in G only and Tanh in D were clearly the worst. The noise size did not matter much.",
    "c_stabilisation": "With the tricks D's accuracy stayed lower, so G got better gradients.",
    "f_tsne": "The generated points cover only part of the real cloud, so the samples are not diverse enough.",
    "g1_gans_vs_others": "GANs give sharp images and sample fast, but have no likelihood and are hard to train. "
                         "VAEs are stable and have an encoder but give blurry images.",
    "g2_challenges": "Mode collapse, instability and no stopping criterion. Remedies: WGAN-GP, label smoothing, "
                     "watching FID.",
}


def build(release_path, solution_path):
    return build_example(release_path, solution_path, MUTANTS, WRONG, WRITTEN)

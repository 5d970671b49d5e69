"""The bundled example submission: a realistic, partly wrong hand-in of HW3.

Three answers carry classic mistakes (the generator's loss in its saturating minimax form, weight clipping
that leaves the biases alone, Adam where the WGAN paper uses RMSprop), so the demo shows partial credit
(70 / 100 autograded) and feedback that explains each loss. Rebuild with ``python -m autograder example``.
"""
from __future__ import annotations

from autograder.course.submissions import build_example
from autograder.hw3_acgan_wgan.mutants import MUTANTS

WRONG = ["gloss_saturating", "clip_weights_only", "opt_adam"]
FEEDBACK_WORDS = ("saturating", "biases included", "RMSprop")  # the feedback names each mistake

WRITTEN = {
    "a1_mode_collapse": "Mode collapse is when G only draws a few digits. It happens because G only has to fool the "
                        "current D. Remedies: minibatch discrimination and the Wasserstein loss.",
    "a2_wgan": "The critic has no sigmoid and estimates the Wasserstein distance; weights are clipped to [-c, c] after "
               "each of the 5 critic updates, with RMSprop at 5e-5. It helps against mode collapse.",
    "a3_gradients": "The saturating loss has gradient -sigmoid(s), which goes to 0; the other two stay near -1.",
    "d_clipping_vs_penalty": "With clipping most weights are at +-0.01; with the penalty they spread out. WGAN-GP's W "
                             "fell more smoothly and its digits looked better.",
}


def build(release_path, solution_path):
    return build_example(release_path, solution_path, MUTANTS, WRONG, WRITTEN)

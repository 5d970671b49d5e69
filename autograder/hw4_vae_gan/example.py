"""The bundled example submission: a realistic, partly wrong hand-in of HW4.

Three answers carry classic mistakes (the VAE's reconstruction term averaged over pixels, the minimax
generator loss written in its non-saturating form, anomaly scores computed in training mode), so the demo
shows partial credit (70 / 100 autograded) and feedback that explains each loss. Rebuild with
``python -m autograder example``.
"""
from __future__ import annotations

from autograder.course.submissions import build_example
from autograder.hw4_vae_gan.mutants import MUTANTS

WRONG = ["loss_bce_mean_over_pixels", "minimax_g_is_nonsaturating", "score_train_mode"]
FEEDBACK_WORDS = ("averaged over pixels", "non-saturating loss", "training mode")  # the feedback names each mistake

WRITTEN = {
    "a1_strided_vs_pooling": "Strided convolutions learn how to downsample while pooling is fixed. In the generator "
                             "transposed convolutions learn to upsample.",
    "a2_latent_space": "z is random noise for the GAN and a code from the encoder for the VAE. You can interpolate "
                       "between two z; smooth changes mean the model did not memorise the training images.",
    "c_losses": "The minimax loss has a tiny gradient (0.001) when D rejects the fakes; non-saturating has 0.999. "
                "LSGAN and hinge gave digits, minimax only blobs.",
    "d_vae_vs_gan": "The VAE's samples are blurry because of the pixel-wise loss; the GAN's are sharper with a lower "
                    "FID. The VAE has an encoder and its loss falls smoothly.",
    "e_anomaly": "Sixes and eights look like zeros and get low scores; ones get the highest. The detector flags "
                 "unusual zeros too.",
}


def build(release_path, solution_path):
    return build_example(release_path, solution_path, MUTANTS, WRONG, WRITTEN)

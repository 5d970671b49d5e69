import torch

from autograder.pipeline.answer import type_name
from autograder.toolkit.expect import expect, expect_shape
from autograder.toolkit.gradient_paths import expect_gradients_everywhere
from autograder.toolkit.open_range import expect_open_range
from autograder.toolkit.structure import expect_structure


def _scores(answer, key: str, what: str) -> torch.Tensor:
    value = answer[key]
    expect(isinstance(value, torch.Tensor), f"{what} should be a torch.Tensor, found {type_name(value)}.")
    return value


def judge_critic(answer, image_shape: tuple = (3, 32, 32), call: str = "Critic(ndf=8)", prefix: str = "",
                 weights: int | None = None) -> None:
    """The judge's half of :func:`autograder.toolkit.probes.expect_critic`, on what ``probes.critic_probe`` recorded (with
    the same ``prefix``)."""
    if prefix:
        from autograder.hw2_dcgan_cifar10.judging import View

        answer = View(answer, prefix)
    expect(answer["C_is_module"] is True, f"{call} should create an nn.Module, found {answer['C_type']}.")
    sigmoids, norms = answer["sigmoids"], answer["norms"]
    expect(isinstance(sigmoids, list) and isinstance(norms, list), "The grader could not read your critic's layers.")
    expect(not sigmoids, f"The critic contains {', '.join(map(str, sigmoids))}: its score must be unbounded (a "
           "Wasserstein critic is not a classifier). Remove the final Sigmoid.")
    expect(not norms, f"The critic contains {', '.join(map(str, norms))}: BatchNorm mixes the images of a batch, but "
           "the gradient penalty is defined per image. Use no normalisation, or nn.LayerNorm / nn.InstanceNorm2d.")
    shape = "×".join(str(s) for s in image_shape)
    what = f"{call} applied to 8 images of {shape}"
    out = _scores(answer, "out", what)
    expect_shape(out, (8, 1), what, "Return one score per image as N×1.")
    alone = _scores(answer, "alone", f"{call} applied to a single image")
    expect(alone.shape == (1, 1) and torch.allclose(alone, out[:1], rtol=1e-3, atol=1e-3),
           f"The score of an image depends on the other images of the batch "
           f"({alone.flatten()[0].item() if alone.numel() else float('nan'):.5f} alone, "
           f"{out[0].item():.5f} in a batch of 8): the critic must score each image on its own (no BatchNorm, "
           "nothing computed across the batch).")
    # Large weight matrices make an unbounded score large on both sides: a final Sigmoid or Tanh keeps it inside
    # (0, 1) or (-1, 1), a ReLU or Softplus above 0.
    expect_open_range(answer["big"], "the critic's scores",
                      "The score must be unbounded: the last layer should be the convolution to one channel (or a "
                      "Linear) with no activation after it.")
    single = _scores(answer, "single", f"{call} applied to a single image")
    expect_shape(single, (1, 1), f"{call} applied to a single image")
    expect_gradients_everywhere(answer["grads"], call)
    if weights is not None:
        # The discriminator's convolutions: ndf → 2·ndf → 4·ndf → 1, LeakyReLU(0.2) (normalisation judged above)
        expect_structure(answer["structure"], call, weights=weights, norms=None, activations={"LeakyReLU(0.2)"})


def test_p08_critic(answer):
    """WGAN critic"""
    # Critic(ndf=8): Conv2d 3→8, 8→16, 16→32 and 32→1, all with 4×4 kernels
    judge_critic(answer, weights=16 * (3 * 8 + 8 * 16 + 16 * 32 + 32 * 1))

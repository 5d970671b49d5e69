import torch

from autograder.toolkit.expect import expect
from autograder.toolkit.gradient_paths import expect_gradients_everywhere
from autograder.hw3_acgan_wgan.judging import shape
from autograder.toolkit.open_range import expect_open_range
from autograder.toolkit.structure import expect_structure

CALL = "WGANCritic(ndf=8)"


def test_p06_critic(answer):
    """WGAN critic"""
    expect(answer["C_is_module"] is True, f"{CALL} should create an nn.Module, found {answer['C_type']}.")
    sigmoids, norms = answer["sigmoids"], answer["norms"]
    expect(isinstance(sigmoids, list) and isinstance(norms, list)
           and all(isinstance(n, str) for n in sigmoids + norms), "The grader could not read your critic's layers.")
    expect(not sigmoids, f"The critic contains {', '.join(sigmoids)}: its score must be unbounded (a Wasserstein "
           "critic is not a classifier). Remove the final Sigmoid.")
    expect(not norms, f"The critic contains {', '.join(norms)}: BatchNorm mixes the images of a batch, but the "
           "gradient penalty is defined per image. Use no normalisation, or nn.LayerNorm / nn.InstanceNorm2d.")
    out = shape(answer["out"], (8, 1), f"{CALL} applied to 8 images of 1×28×28", "Return one score per image as N×1.")
    alone = answer["alone"]
    expect(isinstance(alone, torch.Tensor) and alone.shape == (1, 1) and out.is_floating_point(),
           f"{CALL} applied to a single image should give one score, shape (1, 1).")
    expect(torch.allclose(alone.to(out.dtype), out[:1], rtol=1e-3, atol=1e-3),
           f"The score of an image depends on the other images of the batch ({alone.item():.5f} alone, "
           f"{out[0].item():.5f} in a batch of 8): the critic must score each image on its own (no BatchNorm, "
           "nothing computed across the batch).")
    # With large weights (and once more with the last layer negated) an unbounded score reaches far out on both sides.
    expect_open_range(answer["open"], "the critic's scores", "The last layer should be the Linear layer, without any "
                      "activation after it: a Wasserstein critic's score is unbounded on both sides.")
    big = shape(answer["big"], (8, 1), f"{CALL} applied to 8 images with large weights")
    spread = (big.max() - big.min()).item()
    expect(spread > 5,
           f"With large weights the critic's scores stay between {big.min().item():.3f} and {big.max().item():.3f}: "
           "they look squashed by a final Sigmoid or Tanh. The last layer should be the linear 1×1 convolution "
           "(or Linear) without any activation.")
    shape(answer["single"], (1, 1), f"{CALL} applied to a single image")
    expect_gradients_everywhere(answer["gradients"], CALL)
    # WGANCritic(ndf=8): conv 1→8 and 8→16 (4×4 kernels), Linear 784→1 (normalisation is checked above)
    expect_structure(answer["structure"], CALL, weights=1 * 8 * 16 + 8 * 16 * 16 + 784, norms=None,
                     activations={"LeakyReLU(0.2)"})

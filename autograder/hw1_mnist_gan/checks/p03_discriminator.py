from autograder.toolkit.expect import expect, expect_shape
from autograder.toolkit.gradient_paths import expect_gradients_everywhere


def test_p03_discriminator(answer):
    """Discriminator"""
    expect(answer["D_is_module"] is True,
           f"Discriminator() should create an nn.Module, found {answer['D_type']}.")
    n_params = answer["n_params"]
    expect(type(n_params) is int and 1_000 <= n_params <= 20_000_000,
           f"Discriminator has {n_params} parameters; expected between 1e3 and 2e7.")
    out = answer["out"]
    expect_shape(out, (6, 1), "D(x) for a batch of 6 images of 1×28×28",
                 "Return one probability per image as an N×1 tensor.")
    expect(bool(((out > 0) & (out < 1)).all()),
           f"D(x) should be probabilities in (0, 1), found values from {out.min().item():.3f} to "
           f"{out.max().item():.3f}. End the network with nn.Sigmoid() (nn.BCELoss expects probabilities).")
    grad = answer["x_grad"]
    expect(grad is not None and hasattr(grad, "abs") and grad.abs().sum() > 0,
           "No gradient reaches D's input: the generator could not learn through this discriminator.")
    # Large weights push the last pre-activation far from 0: only a Sigmoid keeps the output in (0, 1).
    big = answer.tensor("big", "D(x) with large weights")
    expect(bool(((big >= 0) & (big <= 1)).all()),
           f"With large weights D's output left [0, 1] (found {big.min().item():.2f} … {big.max().item():.2f}): "
           "the last layer must be a Sigmoid.")
    expect_shape(answer["one"], (1, 1), "D(x) for a single image (in eval mode)")
    expect_gradients_everywhere(answer["gradients"], "Discriminator()")

import pytest
import torch

from autograder.expect import as_float, expect_close, expect_generator_learns
from autograder.hw1_mnist_gan import reference as ref


@pytest.mark.points(10)
def test_p09_generator_step(student):
    """Generator step (non-saturating loss)"""
    dev = ref.device_of(student)
    z = ref.noise(device=dev)
    case = ref.step_case(dev, trains="G")
    D, G, opt, D_before = case.D, case.G, case.opt, case.frozen

    loss = as_float(student.generator_step(G, D, opt, z.clone()), "generator_step's return value")
    expected = ref.reference_generator_step(case.G_ref, case.D_ref, case.opt_ref, z)
    saturating = -torch.nn.functional.binary_cross_entropy(
        D_before(ref.tiny_generator(device=dev)(z)), torch.zeros(len(z), 1, device=dev)).item()
    hint = ("That is the saturating loss log(1 − D(G(z))); use the non-saturating BCE(D(G(z)), 1)."
            if abs(loss - saturating) < 1e-4 else "The loss is BCE(D(G(z)), 1): fake images labelled as real.")
    expect_close(loss, expected, "G's loss on a fixed batch", 1e-4, hint)
    case.expect_generator_step_effects()

    # Short training with D frozen: G must learn to raise D's verdict on its images.
    D, G = ref.tiny_discriminator(device=dev), ref.tiny_generator(device=dev)
    opt = ref.adam(G, lr=2e-3)
    expect_generator_learns(student.generator_step, G, D, opt, z)

import pytest
import torch

from autograder.expect import as_float, expect, expect_close, expect_generator_learns, same_parameters
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
    expect(same_parameters(D, D_before), "The generator step changed D's weights; it must only update G.")
    expect(not same_parameters(G, ref.tiny_generator()),
           "G's weights did not change: do not detach G's output here, and call g_optimizer.step().")
    expect(same_parameters(G, case.G_ref, atol=1e-5),
           "G's weights after one step differ from a correct step. Call g_optimizer.zero_grad() before backward().")

    # Short training with D frozen: G must learn to raise D's verdict on its images.
    D, G = ref.tiny_discriminator(device=dev), ref.tiny_generator(device=dev)
    opt = ref.adam(G, lr=2e-3)
    expect_generator_learns(student.generator_step, G, D, opt, z)

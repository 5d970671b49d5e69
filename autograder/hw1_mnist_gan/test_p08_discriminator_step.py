import pytest

from autograder.expect import as_float, expect, expect_close
from autograder.hw1_mnist_gan import reference as ref


@pytest.mark.points(10)
def test_p08_discriminator_step(student):
    """Discriminator step"""
    dev = ref.device_of(student)
    real, z = ref.real_batch(device=dev), ref.noise(device=dev)
    case = ref.step_case(dev, trains="D")
    D, G, opt = case.D, case.G, case.opt

    loss = as_float(student.discriminator_step(D, G, opt, real.clone(), z.clone()), "discriminator_step's return value")
    expected = ref.reference_discriminator_step(case.D_ref, case.G_ref, case.opt_ref, real, z)
    expect_close(loss, expected, "D's loss on a fixed batch", 1e-4,
                 "The loss is BCE(D(real), 1) + BCE(D(fake), 0), computed with nn.BCELoss before the update.")
    case.expect_discriminator_step_effects()

    # Short training with G frozen: D must learn to tell these real digits from G's output.
    D, G = ref.tiny_discriminator(device=dev), ref.tiny_generator(device=dev)
    opt = ref.adam(D, lr=2e-3)
    losses = [as_float(student.discriminator_step(D, G, opt, real, z), "discriminator_step's return value") for _ in range(15)]
    expect(losses[-1] < 0.5 * losses[0],
           f"15 discriminator steps with G frozen should at least halve D's loss; it went {losses[0]:.3f} → {losses[-1]:.3f}.")

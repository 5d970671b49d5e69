import pytest
import torch

from autograder.expect import as_float, expect, expect_close, same_parameters
from autograder.hw1_mnist_gan import reference as ref


@pytest.mark.points(10)
def test_p08_discriminator_step(student):
    """Discriminator step"""
    dev = ref.device_of(student)
    real, z = ref.real_batch(device=dev), ref.noise(device=dev)
    case = ref.step_case(dev, trains="D")
    D, G, opt, G_before = case.D, case.G, case.opt, case.frozen

    loss = as_float(student.discriminator_step(D, G, opt, real.clone(), z.clone()), "discriminator_step's return value")
    expected = ref.reference_discriminator_step(case.D_ref, case.G_ref, case.opt_ref, real, z)
    expect_close(loss, expected, "D's loss on a fixed batch", 1e-4,
                 "The loss is BCE(D(real), 1) + BCE(D(fake), 0), computed with nn.BCELoss before the update.")
    expect(all(p.grad is None or p.grad.abs().sum() == 0 for p in G.parameters()),
           "The discriminator step put gradients into G: detach the fake images (G(noise).detach()) so D's "
           "loss does not backpropagate into the generator.")
    expect(same_parameters(G, G_before), "The discriminator step changed G's weights; it must only update D.")
    expect(not same_parameters(D, ref.tiny_discriminator()), "D's weights did not change: call d_optimizer.step().")
    expect(same_parameters(D, case.D_ref, atol=1e-5),
           "D's weights after one step differ from a correct step. Call d_optimizer.zero_grad() before backward() "
           "(stale gradients are left in .grad from the last step), and backpropagate the sum of both losses once.")

    # Short training with G frozen: D must learn to tell these real digits from G's output.
    D, G = ref.tiny_discriminator(device=dev), ref.tiny_generator(device=dev)
    opt = ref.adam(D, lr=2e-3)
    losses = [as_float(student.discriminator_step(D, G, opt, real, z), "discriminator_step's return value") for _ in range(15)]
    expect(losses[-1] < 0.5 * losses[0],
           f"15 discriminator steps with G frozen should at least halve D's loss; it went {losses[0]:.3f} → {losses[-1]:.3f}.")

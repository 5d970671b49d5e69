import pytest
import torch

from autograder.expect import expect, expect_close, expect_floats, same_parameters
from autograder.hw5_cgan_infogan import reference as ref
from autograder.steps import run_two_network_step, stale_with_adam


def _result(value) -> dict:
    return expect_floats(value, "cgan_step", ("D", "G"))


def _case(dev):
    return stale_with_adam(ref.tiny_c_generator(device=dev), ref.tiny_c_discriminator(device=dev))


@pytest.mark.points(15)
def test_p03_cgan_step(student):
    """CGAN training step"""
    dev = ref.device_of(student)
    real, labels = ref.mnist_batch(40, dev)
    z = ref.noise(40, device=dev)
    fake_labels = (3 * torch.arange(40, device=dev) + 1) % ref.N_CLASSES
    found, expected, (G, D), (G_ref, D_ref) = run_two_network_step(
        "cgan_step", lambda: _case(dev), student.cgan_step, ref.reference_cgan_step, (real, labels, z, fake_labels), _result)
    expect_close(found["D"], expected["D"], "the returned D (D's loss, before its update)", 1e-4,
                 "L_D = BCE_with_logits(D(real, labels), 1) + BCE_with_logits(D(fake, fake_labels), 0): real images "
                 "with their own labels, fakes with the labels G was asked for; the two terms added, not averaged.")
    expect(same_parameters(D, D_ref, atol=1e-5),
           "After the step D's weights differ from a correct step's. D's update: d_optimizer.zero_grad(); L_D on "
           "D(real, labels) and D(fake.detach(), fake_labels); backward(); d_optimizer.step(). Make D's update "
           "before G's.")
    expect_close(found["G"], expected["G"], "the returned G (G's loss, with the updated D)", 1e-4,
                 "L_G = BCE_with_logits(D(fake, fake_labels), 1) — the non-saturating loss — computed after D's update.")
    expect(same_parameters(G, G_ref, atol=1e-5),
           "After the step G's weights differ from a correct step's. G's update, after D's: g_optimizer.zero_grad() "
           "right before its backward() (D's update must leave no gradient in G: detach the fakes there); L_G on "
           "D(fake, fake_labels) with the updated D; backward(); g_optimizer.step().")

    # Short training on real MNIST digits: D learns to tell them from G's digits, so its loss falls.
    G, D = ref.tiny_c_generator(device=dev), ref.tiny_c_discriminator(device=dev)
    g_opt, d_opt = ref.adam(G, 2e-3), ref.adam(D, 2e-3)
    real, labels = ref.mnist_batch(64, dev)
    losses = []
    for step in range(30):
        z = ref.noise(64, seed=100 + step, device=dev)
        fake_labels = torch.randint(0, ref.N_CLASSES, (64,), generator=torch.Generator().manual_seed(step)).to(dev)
        losses.append(_result(student.cgan_step(G, D, g_opt, d_opt, real, labels, z, fake_labels))["D"])
    late = sum(losses[-5:]) / 5
    expect(late < 0.75 * losses[0],
           f"Over 30 CGAN steps on the same 64 real digits D's loss should fall by at least a quarter; it went "
           f"{losses[0]:.3f} → {late:.3f} (mean of the last 5 steps).")

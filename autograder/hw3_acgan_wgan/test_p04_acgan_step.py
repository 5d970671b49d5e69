import pytest
import torch

from autograder.expect import expect, expect_close, expect_floats, same_parameters
from autograder.hw3_acgan_wgan import reference as ref
from autograder.steps import reference_helpers, run_two_network_step, stale_with_adam


def _result(value) -> dict:
    return expect_floats(value, "acgan_step", ("D", "G", "class_acc"))


def _case(dev):
    return stale_with_adam(ref.tiny_ac_generator(device=dev), ref.tiny_ac_discriminator(device=dev))


@pytest.mark.points(10)
def test_p04_acgan_step(student):
    """ACGAN training step"""
    # The step runs with the reference acgan_d_loss and acgan_g_loss: a mistake there costs problem 03 only.
    with reference_helpers(student.acgan_step, **ref.ACGAN_HELPERS):
        _check_step(student)


def _check_step(student):
    dev = ref.device_of(student)
    real, labels = ref.mnist_batch(40, dev)
    z = ref.noise(40, device=dev)
    fake_labels = (3 * torch.arange(40, device=dev) + 1) % ref.N_CLASSES
    found, expected, (G, D), (G_ref, D_ref) = run_two_network_step(
        "acgan_step", lambda: _case(dev), student.acgan_step, ref.reference_acgan_step, (real, labels, z, fake_labels), _result)
    expect(same_parameters(D, D_ref, atol=1e-5),
           "After the step D's weights differ from a correct step's. D's update: d_optimizer.zero_grad(); "
           "acgan_d_loss(*D(real), *D(fake.detach()), labels, fake_labels) — real images with their labels, fakes "
           "with the labels G was asked for; backward(); d_optimizer.step(). Make D's update before G's.")
    expect(same_parameters(G, G_ref, atol=1e-5),
           "After the step G's weights differ from a correct step's. G's update, after D's: g_optimizer.zero_grad() "
           "right before its backward() (D's update must leave no gradient in G: detach the fakes there); "
           "acgan_g_loss(*D(fake), fake_labels) with the updated D and the fakes made from z and fake_labels; "
           "backward(); g_optimizer.step().")
    expect_close(found["D"], expected["D"], "the returned D (D's loss, before its update)", 1e-4)
    expect_close(found["G"], expected["G"], "the returned G (G's loss, with the updated D)", 1e-4)
    expect_close(found["class_acc"], expected["class_acc"],
                 "the returned class_acc (share of real images whose class logits peak at the true label)", 1e-4,
                 "Compute it from D's class logits on the *real* batch: (real_cls.argmax(dim=1) == labels).mean().")

    # Short training on real MNIST digits: D's class head learns the digits.
    G, D = ref.tiny_ac_generator(device=dev), ref.tiny_ac_discriminator(device=dev)
    g_opt, d_opt = ref.adam(G, 2e-3), ref.adam(D, 2e-3)
    real, labels = ref.mnist_batch(64, dev)
    torch.manual_seed(0)
    accs = []
    for step in range(25):
        z = ref.noise(64, seed=100 + step, device=dev)
        fake_labels = torch.randint(0, ref.N_CLASSES, (64,), generator=torch.Generator().manual_seed(step)).to(dev)
        accs.append(_result(student.acgan_step(G, D, g_opt, d_opt, real, labels, z, fake_labels))["class_acc"])
    expect(accs[-1] >= 0.6,
           f"After 25 ACGAN steps on the same 64 real digits D's class head should name most of them (class_acc "
           f"≥ 0.6); it went {accs[0]:.2f} → {accs[-1]:.2f}.")

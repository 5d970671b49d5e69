import copy

import torch

from autograder.toolkit.expect import expect, expect_close, same_parameters
from autograder.hw3_acgan_wgan import fixtures as fx
from autograder.hw3_acgan_wgan import reference as ref
from autograder.hw3_acgan_wgan.judging import floats, load
from autograder.toolkit.modes import expect_training_mode
from autograder.toolkit.steps import expect_each_updated_once, read_events, stale_with_adam


def _result(value) -> dict:
    return floats(value, "acgan_step", ("D", "G", "class_acc"))


def _class_accuracy(D, real, labels) -> float:
    with torch.no_grad():
        return (D(real)[1].argmax(1) == labels).float().mean().item()


def _expect_given_inputs(asked, z: torch.Tensor, fake_labels: torch.Tensor) -> None:
    """Every call of G in the step used the given noise and labels (the generator recorded what it was asked)."""
    expect(isinstance(asked, list) and all(isinstance(a, tuple) and len(a) == 2 and isinstance(a[0], torch.Tensor)
                                           and isinstance(a[1], torch.Tensor) for a in asked),
           "The grader could not read what acgan_step asked the generator for.")
    expect(bool(asked), "acgan_step never called G: make the fakes with G(z, fake_labels).")
    for noise, labels in asked:
        if not (noise.shape == z.shape and noise.is_floating_point() and torch.allclose(noise.to(z.dtype), z)):
            rows = noise.shape[0] if noise.ndim else 0
            expect(False, f"acgan_step called G with noise ({rows} vectors) that is not the z it was given: make the "
                   "fakes from the given z and fake_labels, G(z, fake_labels) (the training loop draws them; do not "
                   "draw new noise in the step).")
        if not (labels.shape == fake_labels.shape and torch.equal(labels.long(), fake_labels)):
            differ = int((labels.long() != fake_labels).sum()) if labels.shape == fake_labels.shape else labels.numel()
            expect(False, f"acgan_step asked G for labels other than the fake_labels it was given ({differ} of "
                   f"{len(fake_labels)} differ): make the fakes with G(z, fake_labels) (the training loop draws "
                   "them; do not draw new labels in the step).")


def test_p04_acgan_step(answer):
    """ACGAN training step"""
    # The step ran with stand-ins for acgan_d_loss and acgan_g_loss (a mistake there costs problem 03 only); the
    # reference step runs with the same stand-ins.
    seed = answer.seed
    helpers = fx.acgan_stand_ins(fx.step_seeds(seed)["helpers"])
    real, labels, z, fake_labels = fx.acgan_step_inputs(seed)
    found = _result(answer["result"])
    G_ref, D_ref, g_opt_ref, d_opt_ref = stale_with_adam(*fx.acgan_step_networks(seed))
    expected = ref.reference_acgan_step(G_ref, D_ref, g_opt_ref, d_opt_ref, real, labels, z, fake_labels, **helpers)
    G_start, D_start = fx.acgan_step_networks(seed)
    G, D = copy.deepcopy(G_start), copy.deepcopy(D_start)
    load(answer, "G", G, "G's weights after your step")
    load(answer, "D", D, "D's weights after your step")
    expect_each_updated_once("acgan_step", G, G_start, read_events(answer, "g_events"), D, D_start,
                             read_events(answer, "d_events"))
    _expect_given_inputs(answer["asked"], z, fake_labels)
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
    expect_training_mode(answer["modes"], "acgan_step", ("G", "D"))

    # Short training on real MNIST digits: D's class head learns the digits (measured here, on D's weights).
    training = answer["training"]
    expect(isinstance(training, list), "The grader could not read what acgan_step returned during training.")
    for value in training:
        _result(value)
    D = fx.tiny_ac_discriminator()
    real, labels = fx.mnist_batch(64)
    before = _class_accuracy(D, real, labels)
    after = _class_accuracy(load(answer, "D_trained", D, "D's weights after 25 steps"), real, labels)
    expect(after >= 0.6,
           f"After 25 ACGAN steps on the same 64 real digits D's class head should name most of them (class_acc "
           f"≥ 0.6); it went {before:.2f} → {after:.2f}.")

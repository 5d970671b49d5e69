import torch

from autograder.toolkit.expect import expect, expect_close, same_parameters
from autograder.hw5_cgan_infogan import fixtures as fx
from autograder.hw5_cgan_infogan import reference as ref
from autograder.hw5_cgan_infogan.checks_common import (expect_called_in_training_mode, expect_floats, load,
                                                       read_calls)
from autograder.toolkit.modes import expect_training_mode
from autograder.toolkit.steps import expect_each_updated_once, read_events


def _result(value) -> dict:
    return expect_floats(value, "cgan_step", ("D", "G"))


def _d_loss(G, D, real, labels, z, fake_labels) -> float:
    """D's loss on (real, labels) and (G(z, fake_labels), fake_labels), computed by the judge."""
    with torch.no_grad():
        return ref.bce_d_loss(D(real, labels), D(G(z, fake_labels), fake_labels)).item()


def _expect_given_inputs(calls: list[dict], labels, z, fake_labels) -> None:
    """G drew every fake from the z and fake_labels the step was given."""
    for call in calls:
        expect(len(call["inputs"]) == 2, "cgan_step should call G with two tensors, G(z, fake_labels); found "
               f"{len(call['inputs'])}.")
        z_given, labels_given = call["inputs"]
        same_labels = labels_given.shape == fake_labels.shape and torch.equal(labels_given.long(), fake_labels)
        if not same_labels and labels_given.shape == labels.shape and torch.equal(labels_given.long(), labels):
            expect(False, "cgan_step asked G for the real images' labels: the fakes are G(z, fake_labels), drawn "
                   "for the labels the step is given for them (and judged by D with those labels).")
        expect(same_labels, "cgan_step asked G for labels other than the fake_labels it was given: use the given "
               "fake_labels, G(z, fake_labels), and draw no labels inside the step (it is given them so that it is "
               "repeatable).")
        expect(z_given.numel() == z.numel() and torch.equal(z_given.reshape(z.shape), z),
               "cgan_step gave G noise other than the z it was given: use the given z, G(z, fake_labels), and draw "
               "no noise inside the step (it is given its noise so that it is repeatable).")


def test_p03_cgan_step(answer):
    """CGAN training step"""
    seed, seeds = answer.seed, fx.cgan_seeds(answer.seed)
    real, labels, z, fake_labels = fx.cgan_step_inputs(seed)
    found = _result(answer["result"])
    G_calls = read_calls(answer["G_calls"], "G")
    _expect_given_inputs(G_calls, labels, z, fake_labels)
    expect_called_in_training_mode({"G": G_calls, "D": read_calls(answer["D_calls"], "D")}, "cgan_step")
    G_ref, D_ref, g_opt_ref, d_opt_ref = fx.cgan_step_case(seed)
    expected = ref.reference_cgan_step(G_ref, D_ref, g_opt_ref, d_opt_ref, real, labels, z, fake_labels)
    G = load(answer, "G", ref.tiny_c_generator(seeds["G"]), "G's weights after your step")
    D = load(answer, "D", ref.tiny_c_discriminator(seeds["D"]), "D's weights after your step")
    G_start, D_start = ref.tiny_c_generator(seeds["G"]), ref.tiny_c_discriminator(seeds["D"])
    expect_each_updated_once("cgan_step", G, G_start, read_events(answer, "g_events"), D, D_start,
                             read_events(answer, "d_events"))
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
    expect_training_mode(answer["modes"], "cgan_step", ("G", "D"))

    # Short training on real MNIST digits: D learns to tell them from G's digits, so its loss falls. The judge
    # computes D's loss itself: before training, and with the weights the training ended with on its last 5 batches.
    results = answer["results"]
    expect(isinstance(results, list), "The grader could not read what cgan_step returned during training.")
    for value in results:
        _result(value)
    G, D, _, _ = fx.cgan_training_nets()
    real, labels = fx.mnist_batch(64)
    steps = fx.CGAN_TRAINING_STEPS
    first = _d_loss(G, D, real, labels, *fx.cgan_training_inputs(0))
    load(answer, "G_trained", G, f"G's weights after {steps} steps")
    load(answer, "D_trained", D, f"D's weights after {steps} steps")
    late = sum(_d_loss(G, D, real, labels, *fx.cgan_training_inputs(step)) for step in range(steps - 5, steps)) / 5
    expect(late < 0.75 * first,
           f"Over 30 CGAN steps on the same 64 real digits D's loss should fall by at least a quarter; it went "
           f"{first:.3f} → {late:.3f} (mean over the batches of the last 5 steps).")

import copy

import pytest
import torch

from autograder.expect import expect, expect_close, expect_floats, same_parameters
from autograder.hw5_cgan_infogan import reference as ref
from autograder.steps import fill_grads, reference_helpers


def _result(value) -> dict:
    return expect_floats(value, "infogan_step", ("D", "G", "info", "q_acc"))


def _case(dev):
    G, D = ref.tiny_info_generator(device=dev), ref.tiny_info_discriminator(device=dev)
    fill_grads(G)
    fill_grads(D)
    return (G, D, *ref.make_info_optimizers(G, D, lr_d=2e-3, lr_g=5e-3))


@pytest.mark.points(15)
def test_p09_infogan_step(student):
    """InfoGAN training step"""
    # The step runs with the reference info_input and info_loss: a mistake there costs problems 05 and 07 only.
    with reference_helpers(student.infogan_step, **ref.INFO_HELPERS):
        _check_step(student)


def _check_step(student):
    dev = ref.device_of(student)
    real, _ = ref.mnist_batch(40, dev)
    codes = ref.codes(40, seed=5, device=dev)
    G, D, d_opt, g_opt, info_opt = _case(dev)
    G_ref, D_ref, d_opt_ref, g_opt_ref, info_opt_ref = _case(dev)
    G_start, D_start = copy.deepcopy(G), copy.deepcopy(D)
    events = {name: ref.record_events(opt) for name, opt in
              (("d_optimizer", d_opt), ("g_optimizer", g_opt), ("info_optimizer", info_opt))}
    found = _result(student.infogan_step(G, D, d_opt, g_opt, info_opt, real.clone(), *(c.clone() for c in codes)))
    expected = ref.reference_infogan_step(G_ref, D_ref, d_opt_ref, g_opt_ref, info_opt_ref, real, *codes)
    steps = {name: e.count("step") for name, e in events.items()}
    expect(list(steps.values()) == [1, 1, 1],
           f"infogan_step should call each optimiser's step() once, found {steps}.")
    expect(not same_parameters(D.d_head, D_start.d_head), "D's real/fake head did not change: d_optimizer.step() after "
           "D's backward().")
    expect(not same_parameters(D.q_head, D_start.q_head), "Q's head did not change: the information update is "
           "info_optimizer.zero_grad(), info_loss(...)[0].backward(), info_optimizer.step().")
    expect(not same_parameters(G, G_start), "G's weights did not change: call each optimiser's zero_grad() before its "
           "backward(), not between backward() and step().")
    expect_close(found["D"], expected["D"], "the returned D (D's loss, before its update)", 1e-4,
                 "L_D = BCE_with_logits(D(real)[0], 1) + BCE_with_logits(D(fake)[0], 0), the two terms added.")
    expect(same_parameters(D.d_head, D_ref.d_head, atol=1e-5),
           "After the step D's real/fake head differs from a correct step's. D's update: d_optimizer.zero_grad(); "
           "L_D on D(real) and D(fake.detach()); backward(); d_optimizer.step() — before G's update.")
    expect_close(found["G"], expected["G"], "the returned G (G's loss, with the updated D)", 1e-4,
                 "L_G = BCE_with_logits(D(fake)[0], 1) — the non-saturating loss — after D's update.")
    expect_close(found["info"], expected["info"], "the returned info (the information loss)", 1e-4,
                 "info = info_loss(cat_logits, cont_mean, cat, cont)[0] with Q's outputs for D(G(code)), the images "
                 "drawn again by the updated G (after G's update).")
    expect_close(found["q_acc"], expected["q_acc"], "the returned q_acc", 1e-4,
                 "q_acc = (cat_logits.argmax(dim=1) == cat).float().mean(), on the images of the information update.")
    expect(same_parameters(D, D_ref, atol=1e-5),
           "After the step D's trunk or Q head differs from a correct step's. The information update trains the trunk "
           "and q_head through info_optimizer: info_optimizer.zero_grad() right before the information loss's "
           "backward() (G's update leaves gradients in D), then info_optimizer.step().")
    expect(same_parameters(G, G_ref, atol=1e-5),
           "After the step G's weights differ from a correct step's. G moves twice: g_optimizer on L_G (zero_grad() "
           "right before its backward(); D's update must leave no gradient in G: detach the fakes there), then "
           "info_optimizer on the information loss of the images drawn again.")

    # Short training on real digits: G learns to write the category into its images and Q to read it.
    torch.manual_seed(0)
    G, D = ref.tiny_info_generator(device=dev), ref.tiny_info_discriminator(device=dev)
    d_opt, g_opt, info_opt = ref.make_info_optimizers(G, D, lr_d=5e-3, lr_g=5e-3)
    real, _ = ref.mnist_batch(64, dev)
    for step in range(60):
        _result(student.infogan_step(G, D, d_opt, g_opt, info_opt, real, *ref.codes(64, seed=100 + step, device=dev)))
    noise, cat, cont = ref.codes(500, seed=999, device=dev)
    with torch.no_grad():
        accuracy = (D(G(ref.info_input(noise, cat, cont)))[1].argmax(1) == cat).float().mean().item()
    expect(accuracy >= 0.3,
           f"After 60 InfoGAN steps Q should read the category of fresh samples far better than chance (0.1): "
           f"accuracy ≥ 0.3; found {accuracy:.2f}.")

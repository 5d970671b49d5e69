import torch

from autograder.toolkit.expect import expect, expect_close, same_parameters
from autograder.hw5_cgan_infogan import fixtures as fx
from autograder.hw5_cgan_infogan import reference as ref
from autograder.hw5_cgan_infogan.checks_common import (expect_called_in_training_mode, expect_floats, load,
                                                       read_calls)
from autograder.toolkit.modes import expect_training_mode
from autograder.toolkit.steps import Update, expect_updates, read_events

OPTIMIZERS = {"d_optimizer": ("d_events", "D"), "g_optimizer": ("g_events", "G"),
              "info_optimizer": ("info_events", "G and Q")}


def _result(value) -> dict:
    return expect_floats(value, "infogan_step", ("D", "G", "info", "q_acc"))


def _helpers(calls, seed: int) -> dict:
    """The helpers the student's step ran with: the stand-ins it called, the reference ones where it computed that
    part itself (a step that writes out the one-hot code or the losses instead of calling the helpers)."""
    expect(isinstance(calls, dict) and all(isinstance(v, int) for v in calls.values()),
           "The grader could not read which helpers your step called.")
    stand_in = fx.stand_in_helpers(seed)
    return {name: stand_in[name] if calls.get(name, 0) > 0 else getattr(ref, name)
            for name in ("info_input", "info_loss")}


def _since_zero_grad(events: list[str]) -> list[str]:
    """The events from the last zero_grad() before the first step() on: the backward passes of the other updates
    reach the same parameters (G's update reaches D's trunk and G, both held by the information optimiser)."""
    if "step" not in events:
        return events
    cleared = [i for i, event in enumerate(events[:events.index("step")]) if event == "zero_grad"]
    return events[cleared[-1]:] if cleared else events


def _expect_given_codes(calls: list[dict], code: torch.Tensor, sampled: bool) -> None:
    """G drew every image from G's input built of the codes the step was given."""
    for call in calls:
        given = call["inputs"]
        if len(given) == 1 and given[0].shape == code.shape and torch.allclose(given[0].float(), code, atol=1e-6):
            continue
        if sampled:
            expect(False, "infogan_step called sample_codes: the step is given its codes (noise, cat, cont), so that it "
                   "is repeatable. Use them, code = info_input(noise, cat, cont), and draw no codes inside the step.")
        expect(False, "infogan_step gave G an input other than info_input(noise, cat, cont) of the codes it was given: "
               "build G's input with info_input from the given noise, cat and cont, and draw no codes inside the step "
               "(it is given them so that it is repeatable).")


def test_p09_infogan_step(answer):
    """InfoGAN training step"""
    # The step ran with stand-ins for info_input and info_loss: a mistake there costs problems 05 and 07 only.
    seed, seeds = answer.seed, fx.infogan_seeds(answer.seed)
    real, noise, cat, cont = fx.infogan_step_inputs(seed)
    helpers = _helpers(answer["calls"], seeds["helpers"])
    G_calls = read_calls(answer["G_calls"], "G", ("g_steps",))
    _expect_given_codes(G_calls, helpers["info_input"](noise, cat, cont), answer["calls"].get("sample_codes", 0) > 0)
    recorded = {name: read_events(answer, key) for name, (key, _) in OPTIMIZERS.items()}
    expect(recorded["g_optimizer"].count("step") == 0 or any(c["g_steps"] > 0 for c in G_calls),
           "The information update used images drawn before G's update: G was not called again after "
           "g_optimizer.step(). Draw the images again with the updated G, D(G(code)), and take Q's outputs from them.")
    found = _result(answer["result"])
    expect_called_in_training_mode({"G": G_calls, "D": read_calls(answer["D_calls"], "D")}, "infogan_step")
    G_ref, D_ref, d_opt_ref, g_opt_ref, info_opt_ref = fx.infogan_step_case(seed)
    expected = ref.reference_infogan_step(G_ref, D_ref, d_opt_ref, g_opt_ref, info_opt_ref, real, noise, cat, cont,
                                          **helpers)
    G = load(answer, "G", ref.tiny_info_generator(seeds["G"]), "G's weights after your step")
    D = load(answer, "D", ref.tiny_info_discriminator(seeds["D"]), "D's weights after your step")
    G_start, D_start = ref.tiny_info_generator(seeds["G"]), ref.tiny_info_discriminator(seeds["D"])
    expect_updates("infogan_step", *(Update(name, net, _since_zero_grad(recorded[name]))
                                     for name, (_, net) in OPTIMIZERS.items()))
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
    expect_training_mode(answer["modes"], "infogan_step", ("G", "D"))

    # Short training on real digits: G learns to write the category into its images and Q to read it. The judge
    # measures Q's accuracy itself, with the weights the training ended with, on fresh codes of its own.
    results = answer["results"]
    expect(isinstance(results, list), "The grader could not read what infogan_step returned during training.")
    for value in results:
        _result(value)
    G, D, _, _, _ = fx.infogan_training_case()
    steps = fx.INFOGAN_TRAINING_STEPS
    load(answer, "G_trained", G, f"G's weights after {steps} steps")
    load(answer, "D_trained", D, f"D's weights after {steps} steps")
    info_input = _helpers(answer["training_calls"], fx.TRAINING_HELPERS_SEED)["info_input"]
    noise, cat, cont = fx.codes(500, seed=10_007 + seed % 100_000)
    with torch.no_grad():
        accuracy = (D(G(info_input(noise, cat, cont)))[1].argmax(1) == cat).float().mean().item()
    expect(accuracy >= 0.3,
           f"After 60 InfoGAN steps Q should read the category of fresh samples far better than chance (0.1): "
           f"accuracy ≥ 0.3; found {accuracy:.2f}.")

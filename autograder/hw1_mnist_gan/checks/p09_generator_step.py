import torch

from autograder.toolkit.expect import as_float, expect_close
from autograder.hw1_mnist_gan import reference as ref
from autograder.toolkit.modes import expect_training_mode
from autograder.toolkit.steps import expect_generator_raises_verdict, load_student_states


def test_p09_generator_step(answer):
    """Generator step (non-saturating loss)"""
    seeds = ref.step_seeds(answer.seed)
    z = ref.noise(seed=seeds["noise"])
    case = ref.step_case("cpu", trains="G", seed=answer.seed)

    loss = as_float(answer["loss"], "generator_step's return value")
    expected = ref.reference_generator_step(case.G_ref, case.D_ref, case.opt_ref, z)
    with torch.no_grad():
        saturating = -torch.nn.functional.binary_cross_entropy(
            case.frozen(ref.tiny_generator(seeds["G"])(z)), torch.zeros(len(z), 1)).item()
    hint = ("That is the saturating loss log(1 − D(G(z))); use the non-saturating BCE(D(G(z)), 1)."
            if abs(loss - saturating) < 1e-4 else "The loss is BCE(D(G(z)), 1): fake images labelled as real.")
    expect_close(loss, expected, "G's loss on a fixed batch", 1e-4, hint)
    load_student_states(answer, case)
    case.expect_generator_step_effects()
    expect_training_mode(answer["modes"], "generator_step", ("G", "D"))

    # Short training with D frozen: G must learn to raise D's verdict on its images.
    for value in answer["losses"]:
        as_float(value, "generator_step's return value")
    expect_generator_raises_verdict(answer, "G_trained", ref.tiny_discriminator(), ref.tiny_generator(), ref.noise())

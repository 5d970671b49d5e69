from autograder.toolkit.expect import as_float, expect, expect_close
from autograder.hw1_mnist_gan import reference as ref
from autograder.toolkit.modes import expect_training_mode
from autograder.toolkit.steps import load_student_states


def test_p08_discriminator_step(answer):
    """Discriminator step"""
    seeds = ref.step_seeds(answer.seed)
    real, z = ref.real_batch(offset=seeds["offset"]), ref.noise(seed=seeds["noise"])
    case = ref.step_case("cpu", trains="D", seed=answer.seed)

    loss = as_float(answer["loss"], "discriminator_step's return value")
    expected = ref.reference_discriminator_step(case.D_ref, case.G_ref, case.opt_ref, real, z)
    expect_close(loss, expected, "D's loss on a fixed batch", 1e-4,
                 "The loss is BCE(D(real), 1) + BCE(D(fake), 0), computed with nn.BCELoss before the update.")
    load_student_states(answer, case, grads_of="G")
    case.expect_discriminator_step_effects()
    expect_training_mode(answer["modes"], "discriminator_step", ("D", "G"))

    # Short training with G frozen: D must learn to tell these real digits from G's output.
    for i, value in enumerate(answer["losses"]):
        as_float(value, "discriminator_step's return value")
    D, G = ref.tiny_discriminator(), ref.tiny_generator()
    real, z = ref.real_batch(), ref.noise()
    before = ref.d_loss(D, G, real, z)
    D.load_state_dict(answer.state("D_trained", D, "D's weights after 15 steps"))
    after = ref.d_loss(D, G, real, z)
    expect(after < 0.5 * before,
           f"15 discriminator steps with G frozen should at least halve D's loss; it went {before:.3f} → {after:.3f}.")

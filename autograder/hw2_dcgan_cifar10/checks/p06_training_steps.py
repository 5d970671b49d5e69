import torch

from autograder.toolkit.expect import as_float, expect, expect_close, expect_floats
from autograder.hw2_dcgan_cifar10 import fixtures as fx
from autograder.hw2_dcgan_cifar10 import reference as ref
from autograder.hw2_dcgan_cifar10.judging import View
from autograder.hw2_dcgan_cifar10.probes import N_TRAIN
from autograder.toolkit.modes import expect_training_mode
from autograder.toolkit.steps import expect_generator_raises_verdict, load_student_states


def _result(value) -> dict:
    return expect_floats(value, "discriminator_step", ("D", "acc_real", "acc_fake"))


def _noise_std_around(seen, clean, n: int) -> float:
    """Standard deviation of (input − clean) for the n images D saw that lie closest to ``clean``."""
    seen = [s for s in seen if isinstance(s, torch.Tensor)] if isinstance(seen, list) else []
    if not seen:
        return float("nan")
    best = float("inf")
    for images in seen:
        for chunk in images.split(n):
            if chunk.shape == clean.shape:
                best = min(best, (chunk - clean).std().item())
    return best


def _expect_noise(std: float, wanted: float, what: str) -> None:
    expect(abs(std - wanted) < 0.15 * wanted,
           f"With noise_std={wanted} the {what} D is given should differ from the clean images by Gaussian noise of "
           f"standard deviation {wanted}; found a difference of standard deviation {std:.3f}. Add instance noise to "
           "every batch D sees, real and fake, with add_instance_noise(images, noise_std) (in the generator step "
           "too).")


def _stand_in_d_loss(D, G, real, z, helpers) -> float:
    with torch.no_grad():
        return helpers["discriminator_loss"](D(real), D(G(z))).item()


def test_p06_training_steps(answer):
    """Discriminator and generator steps"""
    # The steps ran with stand-ins for discriminator_loss, generator_loss and add_instance_noise (fixtures.py): a
    # mistake in one of those costs its own problem (04 or 05), not this one too. The reference steps use them too.
    seed = answer.seed
    seeds = fx.step_seeds(seed)
    helpers = fx.dcgan_stand_ins(seeds["helpers"])
    real = fx.cifar_batch(64, seed=seeds["real"])
    z = fx.noise(64, seed=seeds["noise"])

    # --- one discriminator step, compared with a reference step on an identical copy
    for k, real_label in enumerate((1.0, 0.9)):
        case = ref.step_case("cpu", trains="D", seed=seed)
        found = _result(answer[f"d{k}_result"])
        # G has BatchNorm here: left in eval() it would draw the next fakes with its running statistics.
        expect_training_mode(answer[f"d{k}_modes"], "discriminator_step", ("D", "G"))
        expected = ref.reference_discriminator_step(case.D_ref, case.G_ref, case.opt_ref, real, z, real_label, helpers)
        expect_close(found["D"], expected["D"], f"D's loss on a fixed batch with real_label={real_label}", 1e-4,
                     "The loss is discriminator_loss(D(real), D(G(noise).detach()), real_label), computed before the "
                     "update: pass real_label on to discriminator_loss.")
        # Outputs within 1e-4 of 0.5 could flip between equally correct computations: allow one image then.
        tol = 1e-6 if expected["margin"] > 1e-4 else 1.01 / len(real)
        for key, rule in (("acc_real", "(real_out > 0.5)"), ("acc_fake", "(fake_out < 0.5)")):
            expect(abs(found[key] - expected[key]) <= tol,
                   f"{key} should be the fraction of {'real' if key == 'acc_real' else 'fake'} images D classifies "
                   f"correctly before the update, {rule}.float().mean(): expected {expected[key]:.4f}, found "
                   f"{found[key]:.4f}.")
        load_student_states(View(answer, f"d{k}_"), case, grads_of="G")
        case.expect_discriminator_step_effects()

    # --- instance noise must really be added to every batch D sees, real and fake
    with torch.no_grad():
        clean_fake = fx.tiny_generator(seeds["G"])(z)
    seen = answer["d_seen"]
    _expect_noise(_noise_std_around(seen, real, len(real)), 0.5, "real images")
    _expect_noise(_noise_std_around(seen, clean_fake, len(real)), 0.5, "fake images")

    # --- one generator step
    case = ref.step_case("cpu", trains="G", seed=seed)
    loss = as_float(answer["g_loss"], "generator_step's return value")
    expect_training_mode(answer["g_modes"], "generator_step", ("G", "D"))
    expected = ref.reference_generator_step(case.G_ref, case.D_ref, case.opt_ref, z, helpers)
    with torch.no_grad():
        out = case.frozen(fx.tiny_generator(seeds["G"])(z))
    wrong = {
        "saturating": -torch.nn.functional.binary_cross_entropy(out, torch.zeros_like(out)).item(),
        "fake label": torch.nn.functional.binary_cross_entropy(out, torch.zeros_like(out)).item(),
    }
    hint = "The loss is generator_loss(D(G(noise))) = BCE(D(G(z)), 1): fake images labelled as real."
    if abs(loss - wrong["saturating"]) < 1e-4:
        hint = "That is the saturating loss log(1 − D(G(z))); use the non-saturating BCE(D(G(z)), 1)."
    elif abs(loss - wrong["fake label"]) < 1e-4:
        hint = ("That is BCE(D(G(z)), 0): in G's step the fake images are labelled real (1), so G learns to fool D "
                "(use generator_loss).")
    expect_close(loss, expected, "G's loss on a fixed batch", 1e-4, hint)
    load_student_states(View(answer, "g_"), case)
    case.expect_generator_step_effects()

    _expect_noise(_noise_std_around(answer["g_seen"], clean_fake, len(z)), 0.5,
                  "generated images in the generator step")

    # --- short trainings on real CIFAR-10 images (fixed networks and stand-ins; the judge measures the result)
    helpers = fx.dcgan_stand_ins(fx.TRAINING_HELPERS_SEED)
    results = answer["d_results"]
    expect(isinstance(results, list), "The grader could not read what discriminator_step returned.")
    for value in results:
        _result(value)
    real, z = fx.cifar_batch(N_TRAIN), fx.noise(N_TRAIN)
    D, G = fx.tiny_discriminator(), fx.tiny_generator()
    before = _stand_in_d_loss(D, G, real, z, helpers)
    D.load_state_dict(answer.state("d_trained", D, "D's weights after 10 steps"))
    after = _stand_in_d_loss(D, G, real, z, helpers)
    expect(after < 0.5 * before,
           f"10 discriminator steps with G frozen should at least halve D's loss on real CIFAR-10 images; it went "
           f"{before:.3f} → {after:.3f}.")

    expect_generator_raises_verdict(answer, "g_trained", fx.tiny_discriminator(), fx.tiny_generator(), fx.noise(64))

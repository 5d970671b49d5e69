import pytest
import torch

from autograder.expect import as_float, expect, expect_close, expect_floats, expect_generator_learns
from autograder.hw2_dcgan_cifar10 import reference as ref
from autograder.steps import reference_helpers

N_TRAIN = 128  # real CIFAR-10 images in the short D training


def _result(value) -> dict:
    return expect_floats(value, "discriminator_step", ("D", "acc_real", "acc_fake"))


def _inputs_of(D) -> tuple[list, object]:
    """Every batch D is given, recorded by a forward pre-hook (D itself is unchanged)."""
    seen: list = []
    handle = D.register_forward_pre_hook(lambda module, args: seen.append(args[0].detach().clone()))
    return seen, handle


def _noise_std_around(seen: list, clean, n: int) -> float:
    """Standard deviation of (input − clean) for the n images D saw that lie closest to ``clean``."""
    if not seen:
        return float("nan")
    images = torch.cat(seen)
    best = float("inf")
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


@pytest.mark.points(10)
def test_p06_training_steps(student):
    """Discriminator and generator steps"""
    # The steps run with the reference losses and instance noise: a mistake in one of those costs its own
    # problem (04 or 05), not this one too.
    with reference_helpers(student.discriminator_step, **ref.DCGAN_HELPERS), \
            reference_helpers(student.generator_step, **ref.DCGAN_HELPERS):
        _check_steps(student)


def _check_steps(student):
    dev = ref.device_of(student)
    real, z = ref.cifar_batch(64, dev), ref.noise(64, device=dev)

    # --- one discriminator step, compared with a reference step on an identical copy
    for real_label in (1.0, 0.9):
        case = ref.step_case(dev, trains="D")
        D, G = case.D, case.G
        found = _result(student.discriminator_step(D, G, case.opt, real.clone(), z.clone(), real_label=real_label,
                                                   noise_std=0.0))
        expected = ref.reference_discriminator_step(case.D_ref, case.G_ref, case.opt_ref, real, z, real_label)
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
        case.expect_discriminator_step_effects()

    # --- instance noise must really be added to every batch D sees, real and fake
    case = ref.step_case(dev, trains="D")
    with torch.no_grad():
        clean_fake = ref.tiny_generator(device=dev)(z)
    seen, handle = _inputs_of(case.D)
    try:
        student.discriminator_step(case.D, case.G, case.opt, real.clone(), z.clone(), real_label=0.9, noise_std=0.5)
    finally:
        handle.remove()
    _expect_noise(_noise_std_around(seen, real, len(real)), 0.5, "real images")
    _expect_noise(_noise_std_around(seen, clean_fake, len(real)), 0.5, "fake images")

    # --- one generator step
    case = ref.step_case(dev, trains="G")
    D, G, D_before = case.D, case.G, case.frozen
    loss = as_float(student.generator_step(G, D, case.opt, z.clone()), "generator_step's return value")
    expected = ref.reference_generator_step(case.G_ref, case.D_ref, case.opt_ref, z)
    with torch.no_grad():
        out = D_before(ref.tiny_generator(device=dev)(z))
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
    case.expect_generator_step_effects()

    case = ref.step_case(dev, trains="G")
    seen, handle = _inputs_of(case.D)
    try:
        student.generator_step(case.G, case.D, case.opt, z.clone(), noise_std=0.5)
    finally:
        handle.remove()
    _expect_noise(_noise_std_around(seen, clean_fake, len(z)), 0.5, "generated images in the generator step")

    # --- short trainings on real CIFAR-10 images
    real, z = ref.cifar_batch(N_TRAIN, dev), ref.noise(N_TRAIN, device=dev)
    D, G = ref.tiny_discriminator(device=dev), ref.tiny_generator(device=dev)
    opt = ref.adam(D, lr=2e-3)
    d_losses = [_result(student.discriminator_step(D, G, opt, real, z))["D"] for _ in range(10)]
    expect(d_losses[-1] < 0.5 * d_losses[0],
           f"10 discriminator steps with G frozen should at least halve D's loss on real CIFAR-10 images; it went "
           f"{d_losses[0]:.3f} → {d_losses[-1]:.3f}.")

    z = ref.noise(64, device=dev)
    D, G = ref.tiny_discriminator(device=dev), ref.tiny_generator(device=dev)
    opt = ref.adam(G, lr=5e-3)
    expect_generator_learns(student.generator_step, G, D, opt, z)

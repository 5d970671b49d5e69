import pytest
import torch

from autograder.expect import expect, expect_close, expect_floats, same_parameters
from autograder.hw2_dcgan_cifar10 import reference as ref
from autograder.steps import record_events, reference_helpers

N_CRITIC, LAMBDA = 3, 5.0  # not the default 10: the step must use its lambda_gp argument


def _result(value) -> dict:
    return expect_floats(value, "wgan_gp_step", ("C", "G", "W", "GP"))


def _exact_case(dev):
    """A linear critic (gradient w everywhere) and a generator of one fixed image: the step is deterministic."""
    critic = ref.LinearCritic((3, 32, 32), norm=2.0, device=dev)
    G = ref.ConstantGenerator(nz=ref.NZ, device=dev)
    for net in (critic, G):
        ref.fill_grads(net)  # stale gradients: a missing zero_grad() shows
    return critic, G, torch.optim.SGD(G.parameters(), lr=0.1), torch.optim.SGD(critic.parameters(), lr=0.02)


@pytest.mark.points(5)
def test_p11_wgan_gp_step(student):
    """WGAN-GP training step"""
    # The step runs with the reference critic_loss, wgan_generator_loss and gradient_penalty: a mistake in one
    # of those costs its own problem (09 or 10), not this one too.
    with reference_helpers(student.wgan_gp_step, **ref.WGAN_HELPERS):
        _check_step(student)


def _check_step(student):
    dev = ref.device_of(student)
    batches = list(ref.cifar_batch(8 * N_CRITIC, dev).split(8))

    critic, G, g_opt, c_opt = _exact_case(dev)
    critic_ref, G_ref, g_opt_ref, c_opt_ref = _exact_case(dev)
    c_events, g_events = record_events(c_opt), record_events(g_opt)
    torch.manual_seed(0)
    found = _result(student.wgan_gp_step(G, critic, g_opt, c_opt, [b.clone() for b in batches], ref.NZ,
                                         lambda_gp=LAMBDA))
    expected = ref.reference_wgan_gp_step(G_ref, critic_ref, g_opt_ref, c_opt_ref, batches, ref.NZ, LAMBDA)
    expect(c_events.count("step") == N_CRITIC,
           f"With {N_CRITIC} real batches in real_batches the critic should be updated {N_CRITIC} times (one "
           f"c_optimizer.step() per batch: n_critic updates), found {c_events.count('step')}.")
    expect(g_events.count("step") == 1, f"The generator should be updated once per call (one g_optimizer.step()), found "
           f"{g_events.count('step')}.")
    if not same_parameters(critic, critic_ref, atol=1e-5):
        hint = ""
        for lam, why in ((10.0, "The critic was trained with λ = 10, the default, instead of the lambda_gp argument "
                                "(5 here)."),
                         (-LAMBDA, "The penalty was subtracted: add it, loss = critic_loss + lambda_gp · penalty."),
                         (0.0, "The critic was trained without the gradient penalty: add lambda_gp · penalty to "
                               "its loss.")):
            other, G_other, g_opt_other, c_opt_other = _exact_case(dev)
            ref.reference_wgan_gp_step(G_other, other, g_opt_other, c_opt_other, batches, ref.NZ, lam)
            if same_parameters(critic, other, atol=1e-5):
                hint = " " + why
                break
        expect(False,
               "After the step the critic's weights differ from a correct step's (checked with a linear critic, whose "
               "gradient penalty is exact)." + hint + " For each real batch: c_optimizer.zero_grad(); loss = "
               "critic_loss(C(real), C(fake.detach())) + lambda_gp · gradient_penalty(critic, real, fake); "
               "loss.backward(); c_optimizer.step().")
    expect(same_parameters(G, G_ref, atol=1e-5),
           "After the step the generator's weights differ from a correct step's. After the critic updates: "
           "g_optimizer.zero_grad(); loss = wgan_generator_loss(critic(G(z))) on fresh noise, without detaching; "
           "loss.backward(); g_optimizer.step().")
    expect_close(found["GP"], expected["GP"], "the returned GP (the penalty of the last critic update)", 1e-4)
    expect_close(found["W"], expected["W"], "the returned W = mean(C(real)) − mean(C(fake)) of the last critic update",
                 1e-4, "Return the Wasserstein estimate of the last critic update (before its optimiser step).")
    expect_close(found["G"], expected["G"], "the returned G (the generator's loss)", 1e-4)
    with_penalty, without = -found["W"] + LAMBDA * found["GP"], -found["W"]
    expect(min(abs(found["C"] - with_penalty), abs(found["C"] - without)) <= 1e-4 * max(1.0, abs(with_penalty)),
           f"The returned C ({found['C']:.5f}) should be the critic's loss of the last update, −W + lambda_gp·GP = "
           f"{with_penalty:.5f}.")

    # Short training of a small convolutional critic on real CIFAR-10 images (G frozen): the penalty must keep
    # the critic's gradient norm near 1 (a correct step gives about 2 here; without the penalty, with λ = 1 or
    # with the penalty's sign flipped it ends above 6) while the Wasserstein estimate grows.
    real = ref.cifar_batch(32 * N_CRITIC, dev)
    batches = list(real.split(32))
    G, critic = ref.tiny_generator(device=dev), ref.tiny_critic(device=dev)
    g_opt = torch.optim.SGD(G.parameters(), lr=0.0)
    c_opt = torch.optim.Adam(critic.parameters(), lr=2e-3, betas=(0.5, 0.9))
    torch.manual_seed(0)
    ws = [_result(student.wgan_gp_step(G, critic, g_opt, c_opt, batches, ref.NZ, 10.0))["W"] for _ in range(12)]
    with torch.no_grad():
        fake = G(ref.noise(len(real), device=dev))
    norm = ref.gradient_norms(critic, real, fake).mean().item()
    expect(0.5 < norm < 4,
           f"After 12 WGAN-GP steps (36 critic updates, λ = 10) the critic's mean gradient norm at random "
           f"interpolates is {norm:.2f}; with the gradient penalty it stays near 1 (between 0.5 and 4 here). Check "
           "that the penalty is added with weight lambda_gp to the critic's loss.")
    expect(ws[-1] > max(1.0, ws[0]),
           f"The Wasserstein estimate W should grow as the critic learns to score real images above fakes; it went "
           f"{ws[0]:.3f} → {ws[-1]:.3f}.")

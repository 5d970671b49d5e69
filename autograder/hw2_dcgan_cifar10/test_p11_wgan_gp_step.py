import pytest
import torch

from autograder.expect import expect, expect_close, expect_floats, same_parameters
from autograder.hw2_dcgan_cifar10 import fixtures as fx
from autograder.hw2_dcgan_cifar10 import reference as ref
from autograder.hw2_dcgan_cifar10.probes import LAMBDA, N_CRITIC


def _result(value) -> dict:
    return expect_floats(value, "wgan_gp_step", ("C", "G", "W", "GP"))


def _events(answer, key: str) -> list:
    events = answer[key]
    expect(isinstance(events, list) and all(e in ("grad", "zero_grad", "step") for e in events),
           "The grader could not read what your step did with its optimisers.")
    return events


def _reference(seed: int, batches: list, lambda_gp: float) -> tuple:
    """The reference step on the exact case, with the same stand-ins: (critic, G, result)."""
    critic, G, g_opt, c_opt = fx.exact_wgan_case(seed)
    helpers = fx.wgan_stand_ins(fx.step_seeds(seed)["helpers"])
    result = ref.reference_wgan_gp_step(G, critic, g_opt, c_opt, batches, fx.NZ, lambda_gp, helpers)
    return critic, G, result


@pytest.mark.points(5)
def test_p11_wgan_gp_step(answer):
    """WGAN-GP training step"""
    # The step ran with stand-ins for critic_loss, wgan_generator_loss and gradient_penalty (fixtures.py): a
    # mistake in one of those costs its own problem (09 or 10), not this one too. The reference step uses them too.
    seed = answer.seed
    batches = list(fx.cifar_batch(8 * N_CRITIC, seed=fx.step_seeds(seed)["real"]).split(8))

    found = _result(answer["result"])
    critic_ref, G_ref, expected = _reference(seed, batches, LAMBDA)
    critic, G, _, _ = fx.exact_wgan_case(seed)
    c_events, g_events = _events(answer, "c_events"), _events(answer, "g_events")
    expect(c_events.count("step") == N_CRITIC,
           f"With {N_CRITIC} real batches in real_batches the critic should be updated {N_CRITIC} times (one "
           f"c_optimizer.step() per batch: n_critic updates), found {c_events.count('step')}.")
    expect(g_events.count("step") == 1, f"The generator should be updated once per call (one g_optimizer.step()), found "
           f"{g_events.count('step')}.")
    critic.load_state_dict(answer.state("critic", critic, "the critic's weights after your step"))
    G.load_state_dict(answer.state("G", G, "the generator's weights after your step"))
    if not same_parameters(critic, critic_ref, atol=1e-5):
        hint = ""
        for lam, why in ((10.0, "The critic was trained with λ = 10, the default, instead of the lambda_gp argument "
                                "(5 here)."),
                         (-LAMBDA, "The penalty was subtracted: add it, loss = critic_loss + lambda_gp · penalty."),
                         (0.0, "The critic was trained without the gradient penalty: add lambda_gp · penalty to "
                               "its loss.")):
            other, _, _ = _reference(seed, batches, lam)
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
    # The step ran with the grader's stand-in critic_loss (not −W): C = critic_loss(...) + lambda_gp·GP.
    with_penalty, without = expected["critic_loss"] + LAMBDA * found["GP"], expected["critic_loss"]
    expect(min(abs(found["C"] - with_penalty), abs(found["C"] - without)) <= 1e-4 * max(1.0, abs(with_penalty)),
           f"The returned C ({found['C']:.5f}) should be the critic's loss of the last update, critic_loss + "
           f"lambda_gp·GP = {with_penalty:.5f} (computed with the grader's stand-in critic_loss and gradient_penalty, "
           "which replace yours in this check; with yours it is −W + lambda_gp·GP).")

    # Short training of a small convolutional critic on real CIFAR-10 images (G frozen): the penalty must keep
    # the critic's gradient norm near 1 (a correct step gives about 2 here; without the penalty, with λ = 1 or
    # with the penalty's sign flipped it ends above 6) while the Wasserstein estimate grows.
    results = answer["results"]
    expect(isinstance(results, list) and len(results) == 12, "The grader could not read what wgan_gp_step returned.")
    for value in results:
        _result(value)
    real = fx.cifar_batch(32 * N_CRITIC)
    G, critic = fx.tiny_generator(), fx.tiny_critic()
    with torch.no_grad():
        fake = G(fx.noise(len(real)))
        w_before = (critic(real).mean() - critic(fake).mean()).item()
    critic.load_state_dict(answer.state("trained", critic, "the critic's weights after 12 steps"))
    norm = ref.gradient_norms(critic, real, fake).mean().item()
    expect(0.5 < norm < 4,
           f"After 12 WGAN-GP steps (36 critic updates, λ = 10) the critic's mean gradient norm at random "
           f"interpolates is {norm:.2f}; with the gradient penalty it stays near 1 (between 0.5 and 4 here). Check "
           "that the penalty is added with weight lambda_gp to the critic's loss.")
    with torch.no_grad():
        w_after = (critic(real).mean() - critic(fake).mean()).item()
    expect(w_after > max(1.0, w_before),
           f"The Wasserstein estimate W should grow as the critic learns to score real images above fakes; it went "
           f"{w_before:.3f} → {w_after:.3f}.")

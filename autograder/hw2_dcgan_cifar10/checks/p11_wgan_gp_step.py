import torch

from autograder.toolkit.expect import expect, expect_close, expect_floats, same_parameters
from autograder.hw2_dcgan_cifar10 import fixtures as fx
from autograder.hw2_dcgan_cifar10 import reference as ref
from autograder.hw2_dcgan_cifar10.probes import LAMBDA, N_CRITIC
from autograder.toolkit.modes import expect_training_mode
from autograder.toolkit.steps import expect_wgan_updates, read_events

BATCH = 8  # real images per critic update in the exact case


def _result(value) -> dict:
    return expect_floats(value, "wgan_gp_step", ("C", "G", "W", "GP"))


def _calls(answer) -> list[dict]:
    """The noise of every call of G during the step, as N×nz rows, with the updates made before it."""
    calls = answer["g_calls"]
    readable = isinstance(calls, list) and all(
        isinstance(c, dict) and type(c.get("critic_updates")) is int and type(c.get("g_updates")) is int
        and isinstance(c.get("z"), torch.Tensor) and c["z"].ndim >= 1 and c["z"].is_floating_point()
        and c["z"].numel() == len(c["z"]) * fx.NZ for c in calls)
    expect(readable, "The grader could not read the noise your step gave the generator.")
    return [{**c, "z": c["z"].reshape(len(c["z"]), fx.NZ).float()} for c in calls]


def _distinct(rows: torch.Tensor) -> int:
    return len(torch.unique(rows, dim=0)) if len(rows) else 0


def _noises(answer) -> tuple[list, torch.Tensor]:
    """The noise of each critic update and of the generator update, as the step drew it; fails where fakes or noise
    were reused instead of drawn afresh, as problem 11 prescribes."""
    calls = _calls(answer)
    critic_calls = [c["z"] for c in calls if c["critic_updates"] < N_CRITIC]
    g_calls = [c["z"] for c in calls if c["critic_updates"] >= N_CRITIC and c["g_updates"] == 0]
    rows = torch.cat(critic_calls) if critic_calls else torch.zeros(0, fx.NZ)
    wanted = N_CRITIC * BATCH
    if len(rows) < wanted:
        expect(False, f"During the {N_CRITIC} critic updates (one per real batch of {BATCH} images) the generator made "
               f"{len(rows)} images, not {wanted}: "
               + ("the same batch of fakes was used for every critic update. " if 0 < len(rows) <= BATCH else "")
               + "Draw fresh noise and fakes for each real batch, inside the loop: fake = G(torch.randn(len(real), nz, "
               "device=real.device)).detach().")
    expect(len(rows) == wanted,
           f"During the {N_CRITIC} critic updates (one per real batch of {BATCH} images) the generator made "
           f"{len(rows)} images; each update needs one batch of len(real) = {BATCH} fakes, drawn once: fake = "
           "G(torch.randn(len(real), nz, device=real.device)).detach().")
    expect(_distinct(rows) == wanted,
           f"The {N_CRITIC} critic updates were given the same noise more than once (only {_distinct(rows)} of their "
           f"{wanted} noise vectors differ): draw fresh noise for each real batch, inside the loop, "
           "torch.randn(len(real), nz, device=real.device).")
    expect(bool(g_calls),
           "After the critic updates the generator made no new images for its own update: it reused fakes made for a "
           "critic update. Draw fresh noise for the generator update: g_loss = wgan_generator_loss(critic(G("
           "torch.randn(len(real), nz, device=real.device)))).")
    g_rows = torch.cat(g_calls)
    reused = _distinct(torch.cat([rows, g_rows])) < wanted + _distinct(g_rows)
    expect(not reused, "The generator update reused noise of a critic update: draw fresh noise for it, "
           "G(torch.randn(len(real), nz, device=real.device)).")
    return list(rows.split(BATCH)), g_rows


def _reference(seed: int, batches: list, lambda_gp: float, noises) -> tuple:
    """The reference step on the exact case, with the same stand-ins and the step's own noise: (critic, G, result)."""
    critic, G, g_opt, c_opt = fx.exact_wgan_case(seed)
    helpers = fx.wgan_stand_ins(fx.step_seeds(seed)["helpers"])
    result = ref.reference_wgan_gp_step(G, critic, g_opt, c_opt, batches, fx.NZ, lambda_gp, helpers, noises)
    return critic, G, result


def test_p11_wgan_gp_step(answer):
    """WGAN-GP training step"""
    # The step ran with stand-ins for critic_loss, wgan_generator_loss and gradient_penalty (fixtures.py): a
    # mistake in one of those costs its own problem (09 or 10), not this one too. The reference step uses them too.
    seed = answer.seed
    batches = list(fx.cifar_batch(BATCH * N_CRITIC, seed=fx.step_seeds(seed)["real"]).split(BATCH))

    found = _result(answer["result"])
    c_events, g_events = read_events(answer, "c_events"), read_events(answer, "g_events")
    expect_wgan_updates(c_events, g_events, N_CRITIC)
    expect_training_mode(answer["modes"], "wgan_gp_step", ("G", "critic"))
    noises = _noises(answer)
    critic_ref, G_ref, expected = _reference(seed, batches, LAMBDA, noises)
    critic, G, _, _ = fx.exact_wgan_case(seed)
    critic.load_state_dict(answer.state("critic", critic, "the critic's weights after your step"))
    G.load_state_dict(answer.state("G", G, "the generator's weights after your step"))
    if not same_parameters(critic, critic_ref, atol=1e-5):
        hint = ""
        for lam, why in ((10.0, "The critic was trained with λ = 10, the default, instead of the lambda_gp argument "
                                "(5 here)."),
                         (-LAMBDA, "The penalty was subtracted: add it, loss = critic_loss + lambda_gp · penalty."),
                         (0.0, "The critic was trained without the gradient penalty: add lambda_gp · penalty to "
                               "its loss.")):
            other, _, _ = _reference(seed, batches, lam, noises)
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

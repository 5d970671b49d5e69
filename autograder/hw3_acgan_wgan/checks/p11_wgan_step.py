import torch

from autograder.toolkit.device_probe import expect_on_meta
from autograder.toolkit.expect import expect, expect_close, same_parameters
from autograder.hw3_acgan_wgan import fixtures as fx
from autograder.hw3_acgan_wgan import reference as ref
from autograder.hw3_acgan_wgan.judging import floats, load
from autograder.toolkit.steps import expect_wgan_updates, read_events
from autograder.toolkit.modes import expect_training_mode

N_CRITIC, CLIP, LAMBDA = fx.N_CRITIC, fx.CLIP, fx.LAMBDA  # not the defaults: the step must use its arguments


def _result(value) -> dict:
    return floats(value, "wgan_step", ("C", "G", "W", "GP"))


def _run(answer, key: str) -> tuple:
    """What the student's step did in setting ``key``: its result, and the critic and G after it."""
    found = _result(answer[f"{key}_result"])
    c_events, g_events = read_events(answer, f"{key}_c_events"), read_events(answer, f"{key}_g_events")
    expect_wgan_updates(c_events, g_events, N_CRITIC)
    critic, G, _, _ = fx.wgan_exact_case(answer.seed)
    load(answer, f"{key}_critic", critic, "the critic's weights after your step")
    load(answer, f"{key}_G", G, "the generator's weights after your step")
    return found, critic, G


def _expect_like_reference(seed, helpers, batches, found, critic, G, clip, lambda_gp, setting: str):
    critic_ref, G_ref, g_opt_ref, c_opt_ref = fx.wgan_exact_case(seed)
    expected = ref.reference_wgan_step(G_ref, critic_ref, g_opt_ref, c_opt_ref, batches, fx.NZ, clip, lambda_gp,
                                       **helpers)
    if not same_parameters(critic, critic_ref, atol=1e-5):
        hint = ""
        alternatives = ((clip, 10.0 if lambda_gp else 0.0, "The critic was trained with λ = 10, the default, instead "
                         "of the lambda_gp argument."),
                        (clip, -lambda_gp, "The penalty was subtracted: add it, loss = critic_loss + lambda_gp · penalty."),
                        (clip, 0.0, "The critic was trained without the gradient penalty: add lambda_gp · penalty to "
                         "its loss when lambda_gp > 0."),
                        (0.01 if clip else None, lambda_gp, "The critic was clipped to 0.01, the default, instead of "
                         "the clip argument."),
                        (None, lambda_gp, "The critic was not clipped: call clip_weights(critic, clip) after every "
                         "critic update when clip is not None."))
        for other_clip, other_lambda, why in alternatives:
            if (other_clip, other_lambda) == (clip, lambda_gp):
                continue
            other, G_other, g_opt_other, c_opt_other = fx.wgan_exact_case(seed)
            ref.reference_wgan_step(G_other, other, g_opt_other, c_opt_other, batches, fx.NZ, other_clip, other_lambda,
                                    **helpers)
            if same_parameters(critic, other, atol=1e-5):
                hint = " " + why
                break
        expect(False, f"With {setting} the critic's weights after the step differ from a correct step's (checked with "
               "a linear critic, whose gradient is the same everywhere)." + hint + " For each real batch: "
               "c_optimizer.zero_grad(); loss = critic_loss(critic(real), critic(fake.detach())) (+ lambda_gp · "
               "gradient_penalty(critic, real, fake) when lambda_gp > 0); loss.backward(); c_optimizer.step(); then "
               "clip_weights(critic, clip) when clip is not None.")
    expect(same_parameters(G, G_ref, atol=1e-5),
           f"With {setting} the generator's weights after the step differ from a correct step's. After the critic "
           "updates: g_optimizer.zero_grad(); loss = wgan_generator_loss(critic(G(z))) on fresh noise, without "
           "detaching; loss.backward(); g_optimizer.step().")
    expect_close(found["W"], expected["W"], f"the returned W = mean(f(real)) − mean(f(fake)) of the last critic update "
                 f"({setting})", 1e-4, "Return the Wasserstein estimate of the last critic update (before its "
                 "optimiser step): real minus fake, not fake minus real.")
    expect_close(found["GP"], expected["GP"], f"the returned GP ({setting})", 1e-4,
                 "GP is the penalty of the last critic update, and 0 when lambda_gp is 0.")
    expect_close(found["G"], expected["G"], f"the returned G (the generator's loss, {setting})", 1e-4)
    expect_close(found["C"], expected["C"], f"the returned C (the last critic loss, {setting})", 1e-4,
                 "C is the critic's loss of the last update: −W, plus lambda_gp · GP with a penalty.")


def _matches(rows: torch.Tensor, others: torch.Tensor) -> torch.Tensor:
    """For each fingerprint in ``rows``, whether it is (numerically) one of ``others``."""
    if not len(rows) or not len(others):
        return torch.zeros(len(rows), dtype=torch.bool)
    close = (rows[:, None, :] - others[None, :, :]).abs() <= 1e-3 * (1 + others.abs()[None, :, :])
    return close.all(2).any(1)


def _expect_fresh_fakes(seen, batches) -> None:
    """No generated image is scored in two different critic updates, nor again in the generator's update: each
    critic update draws fresh noise and new fakes, and so does the generator's update (``seen`` holds, per call of
    the critic, how many critic updates were made before it and a fingerprint of each image it scored)."""
    expect(isinstance(seen, list) and all(isinstance(c, tuple) and len(c) == 2 and isinstance(c[0], int)
                                          and isinstance(c[1], torch.Tensor) and c[1].ndim == 2
                                          and c[1].shape[1] == fx.FINGERPRINT and c[1].is_floating_point()
                                          for c in seen),
           "The grader could not read which images your step's critic scored.")
    real = fx.fingerprints(torch.cat(batches))
    windows = {}
    for updates, rows in seen:
        rows = rows.float()
        windows.setdefault(updates, []).append(rows[~_matches(rows, real)])  # generated (or mixed) images only
    fakes = {u: torch.cat(rows) for u, rows in windows.items()}
    order = sorted(fakes)
    for i, u in enumerate(order):
        for v in order[i + 1:]:
            shared = int(_matches(fakes[v], fakes[u]).sum())
            if not shared:
                continue
            if v >= N_CRITIC:
                expect(False, f"The generator's update scored {shared} generated images that critic update {u + 1} "
                       "had already scored: it reused that update's fakes. Draw fresh noise for the generator's "
                       "update: wgan_generator_loss(critic(G(torch.randn(len(real), nz, device=real.device)))).")
            expect(False, f"Critic updates {u + 1} and {v + 1} scored the same {shared} generated images: the fakes "
                   "(or their noise) were drawn once and reused. Draw fresh noise, torch.randn(len(real), nz, "
                   "device=real.device), and new fakes for *each* critic update, inside the loop over real_batches.")


def _wasserstein(critic, batches, fakes) -> float:
    with torch.no_grad():
        return (torch.cat([critic(real) for real in batches]).mean() - critic(fakes).mean()).item()


def test_p11_wgan_step(answer):
    """WGAN training step (clipping or penalty)"""
    # The step ran with stand-ins for the losses, the penalty and the clipping (a mistake in one of those costs its
    # own problem, 07, 08 or 10, not this one too); the reference step runs with the same stand-ins.
    seed = answer.seed
    helpers = fx.wgan_stand_ins(fx.step_seeds(seed)["helpers"])
    batches = fx.wgan_exact_batches(seed)

    # (a) Weight clipping: every critic update is followed by clipping, so the critic is clipped whenever used.
    found, critic, G = _run(answer, "clip")
    calls = answer["clip_calls"]
    expect(isinstance(calls, list) and all(isinstance(c, tuple) and len(c) == 2 and isinstance(c[0], int)
                                           and isinstance(c[1], float) for c in calls),
           "The grader could not read how your step used the critic.")
    late = [largest for updates, largest in calls if updates > 0]
    expect(bool(late), "The critic was never used after its first update: make the n_critic critic updates, then the "
           "generator update through the critic.")
    expect(max(late) <= CLIP + 1e-6,
           f"After a critic update the critic was used with weights up to {max(late):.4f}, outside [-clip, clip] = "
           f"[{-CLIP}, {CLIP}]: call clip_weights(critic, clip) right after *every* c_optimizer.step(), not once "
           "before or after the loop.")
    _expect_like_reference(seed, helpers, batches, found, critic, G, CLIP, 0.0, f"clip={CLIP}, lambda_gp=0")

    # (b) The gradient penalty, no clipping.
    found, critic, G = _run(answer, "penalty")
    _expect_like_reference(seed, helpers, batches, found, critic, G, None, LAMBDA, f"clip=None, lambda_gp={LAMBDA:g}")
    for key in ("clip", "penalty"):
        expect_training_mode(answer[f"{key}_modes"], "wgan_step", ("G", "critic"))

    # Fakes that depend on their noise: each critic update, and the generator's, must score new ones.
    _expect_fresh_fakes(answer["fresh_seen"], batches)
    expect_on_meta(answer["meta"], "wgan_step with G, the critic and the real batches on the device meta",
                   "Draw the noise where the real images are: torch.randn(len(real), nz, device=real.device).")

    # Short training of a small convolutional critic with clipping on real MNIST digits (G frozen): the critic
    # learns to score real digits above fakes while staying inside [-c, c] (measured here, on its weights).
    training = answer["training"]
    expect(isinstance(training, list), "The grader could not read what wgan_step returned during training.")
    for value in training:
        _result(value)
    batches = fx.wgan_training_batches()
    with torch.no_grad():
        fakes = fx.tiny_generator()(fx.noise(32 * N_CRITIC, seed=7))
    critic = fx.tiny_critic()
    before = _wasserstein(critic, batches, fakes)
    load(answer, "critic_trained", critic, "the critic's weights after 8 steps")
    largest = max(p.detach().abs().max().item() for p in critic.parameters())
    expect(largest <= 0.05 + 1e-6, f"After training with clip=0.05 a critic weight is {largest:.4f}: clip after every "
           "critic update.")
    after = _wasserstein(critic, batches, fakes)
    expect(after > max(0.0, before),
           f"The Wasserstein estimate W should grow as the critic learns to score real digits above fakes; it went "
           f"{before:.4f} → {after:.4f}.")

import pytest
import torch

from autograder.expect import expect, expect_close, expect_floats, same_parameters
from autograder.hw3_acgan_wgan import reference as ref
from autograder.steps import reference_helpers

N_CRITIC, CLIP, LAMBDA = 3, 0.02, 5.0  # not the defaults: the step must use its arguments


def _result(value) -> dict:
    return expect_floats(value, "wgan_step", ("C", "G", "W", "GP"))


class WatchedCritic(ref.LinearCritic):
    """A linear critic (its gradient is w everywhere) that records, at each call, how many critic updates
    were made so far and its largest |parameter|."""

    def __init__(self, device):
        super().__init__(ref.IMAGE, norm=2.0, device=device)
        self.updates, self.calls = 0, []

    def forward(self, x):
        self.calls.append((self.updates, self.w.detach().abs().max().item()))
        return super().forward(x)


def _exact_case(dev):
    """A linear critic and a generator of one fixed image: the step is deterministic."""
    critic = WatchedCritic(dev)
    G = ref.ConstantGenerator(nz=ref.NZ, shape=ref.IMAGE, device=dev)
    for net in (critic, G):
        ref.fill_grads(net)  # stale gradients: a missing zero_grad() shows
    g_opt, c_opt = torch.optim.SGD(G.parameters(), lr=0.1), torch.optim.SGD(critic.parameters(), lr=0.02)
    c_opt.register_step_post_hook(lambda *args: setattr(critic, "updates", critic.updates + 1))
    return critic, G, g_opt, c_opt


@pytest.mark.points(15)
def test_p11_wgan_step(student):
    """WGAN training step (clipping or penalty)"""
    # The step runs with the reference losses, penalty and clipping: a mistake in one of those costs its own
    # problem (07, 08 or 10), not this one too.
    with reference_helpers(student.wgan_step, **ref.WGAN_HELPERS):
        _check_step(student)


def _run(student, dev, batches, **options):
    critic, G, g_opt, c_opt = _exact_case(dev)
    c_events, g_events = ref.record_events(c_opt), ref.record_events(g_opt)
    torch.manual_seed(0)
    found = _result(student.wgan_step(G, critic, g_opt, c_opt, [b.clone() for b in batches], ref.NZ, **options))
    expect(c_events.count("step") == N_CRITIC,
           f"With {N_CRITIC} real batches in real_batches the critic should be updated {N_CRITIC} times (one "
           f"c_optimizer.step() per batch: n_critic updates), found {c_events.count('step')}.")
    expect(g_events.count("step") == 1,
           f"The generator should be updated once per call (one g_optimizer.step()), found {g_events.count('step')}.")
    return found, critic, G


def _expect_like_reference(student, dev, batches, found, critic, G, clip, lambda_gp, setting: str):
    critic_ref, G_ref, g_opt_ref, c_opt_ref = _exact_case(dev)
    expected = ref.reference_wgan_step(G_ref, critic_ref, g_opt_ref, c_opt_ref, batches, ref.NZ, clip, lambda_gp)
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
            other, G_other, g_opt_other, c_opt_other = _exact_case(dev)
            ref.reference_wgan_step(G_other, other, g_opt_other, c_opt_other, batches, ref.NZ, other_clip, other_lambda)
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


def _check_step(student):
    dev = ref.device_of(student)
    real, _ = ref.mnist_batch(8 * N_CRITIC, dev)
    batches = list(real.split(8))

    # (a) Weight clipping: every critic update is followed by clipping, so the critic is clipped whenever used.
    found, critic, G = _run(student, dev, batches, clip=CLIP, lambda_gp=0.0)
    late = [largest for updates, largest in critic.calls if updates > 0]
    expect(bool(late), "The critic was never used after its first update: make the n_critic critic updates, then the "
           "generator update through the critic.")
    expect(max(late) <= CLIP + 1e-6,
           f"After a critic update the critic was used with weights up to {max(late):.4f}, outside [-clip, clip] = "
           f"[{-CLIP}, {CLIP}]: call clip_weights(critic, clip) right after *every* c_optimizer.step(), not once "
           "before or after the loop.")
    _expect_like_reference(student, dev, batches, found, critic, G, CLIP, 0.0, f"clip={CLIP}, lambda_gp=0")

    # (b) The gradient penalty, no clipping.
    found, critic, G = _run(student, dev, batches, clip=None, lambda_gp=LAMBDA)
    _expect_like_reference(student, dev, batches, found, critic, G, None, LAMBDA, f"clip=None, lambda_gp={LAMBDA:g}")

    # Short training of a small convolutional critic with clipping on real MNIST digits (G frozen): the critic
    # learns to score real digits above fakes while staying inside [-c, c].
    real, _ = ref.mnist_batch(32 * N_CRITIC, dev)
    batches = list(real.split(32))
    G, critic = ref.tiny_generator(device=dev), ref.tiny_critic(device=dev)
    g_opt, c_opt = torch.optim.SGD(G.parameters(), lr=0.0), torch.optim.RMSprop(critic.parameters(), lr=5e-4)
    torch.manual_seed(0)
    ws = [_result(student.wgan_step(G, critic, g_opt, c_opt, batches, ref.NZ, clip=0.05))["W"] for _ in range(8)]
    largest = max(p.detach().abs().max().item() for p in critic.parameters())
    expect(largest <= 0.05 + 1e-6, f"After training with clip=0.05 a critic weight is {largest:.4f}: clip after every "
           "critic update.")
    expect(ws[-1] > max(0.0, ws[0]),
           f"The Wasserstein estimate W should grow as the critic learns to score real digits above fakes; it went "
           f"{ws[0]:.4f} → {ws[-1]:.4f}.")

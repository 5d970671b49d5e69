import copy

import pytest
import torch

from autograder.expect import expect, expect_close, expect_floats, same_parameters
from autograder.hw4_vae_gan import reference as ref
from autograder.steps import reference_helpers


def _result(value) -> dict:
    return expect_floats(value, "vae_step", ("loss", "reconstruction", "kl"))


@pytest.mark.points(10)
def test_p05_vae_step(student):
    """VAE training step"""
    # The step runs with the reference vae_loss: a mistake there costs problem 04 only.
    with reference_helpers(student.vae_step, **ref.VAE_HELPERS):
        _check(student)


def _check(student):
    dev = ref.device_of(student)
    x = ref.unit_batch(32, dev)
    vae = ref.tiny_vae(device=dev)
    vae_ref = copy.deepcopy(vae)
    start = copy.deepcopy(vae)
    for net in (vae, vae_ref):
        ref.fill_grads(net)  # stale gradients: a missing zero_grad() shows
    opt, opt_ref = ref.adam(vae), ref.adam(vae_ref)
    events = ref.record_events(opt)
    torch.manual_seed(0)
    found = _result(student.vae_step(vae, opt, x.clone()))
    torch.manual_seed(0)
    expected = ref.reference_vae_step(vae_ref, opt_ref, x)
    expect(events.count("step") == 1, f"vae_step should call optimizer.step() once, found {events.count('step')}.")
    if same_parameters(vae, start):
        expect(False, "The VAE's weights did not change: call optimizer.zero_grad() before backward(), not between "
               "backward() and step().")
    expect(same_parameters(vae, vae_ref, atol=1e-5),
           "After the step the weights differ from a correct step's: optimizer.zero_grad() (stale gradients are left "
           "in .grad), logits, mu, logvar = vae(x), loss = vae_loss(...)[0], loss.backward(), optimizer.step().")
    for key in ("loss", "reconstruction", "kl"):
        expect_close(found[key], expected[key], f"the returned {key} (before the update)", 1e-4,
                     f"Return vae_loss(...)'s {key} term as a float (.item()).")

    # Short training on real digits: the negative ELBO falls.
    vae = ref.tiny_vae(seed=1, device=dev)
    opt = torch.optim.Adam(vae.parameters(), lr=3e-3)
    torch.manual_seed(1)
    losses = [_result(student.vae_step(vae, opt, x))["loss"] for _ in range(30)]
    first, last = sum(losses[:3]) / 3, sum(losses[-3:]) / 3
    expect(last < 0.7 * first, f"30 steps on the same 32 digits should lower the negative ELBO by 30 % or more; it "
           f"went {first:.1f} → {last:.1f}.")

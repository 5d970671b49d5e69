import copy

import pytest
import torch

from autograder.expect import expect, expect_close, expect_floats, same_parameters
from autograder.hw4_vae_gan import reference as ref
from autograder.steps import reference_helpers, stale_with_adam

WEIGHTS = dict(w_adv=2.0, w_con=10.0, w_enc=3.0)  # not the defaults: the weights must be used


def _result(value) -> dict:
    return expect_floats(value, "anomaly_step", ("D", "adv", "con", "enc"))


def _case(dev):
    return stale_with_adam(ref.tiny_anomaly_model(device=dev), ref.tiny_latent_discriminator(device=dev))


@pytest.mark.points(5)
def test_p11_anomaly_step(student):
    """Anomaly-model training step"""
    # The step runs with the reference anomaly_losses: a mistake there costs problem 10 only.
    with reference_helpers(student.anomaly_step, **ref.ANOMALY_HELPERS):
        _check(student)


def _check(student):
    dev = ref.device_of(student)
    zeros, scored, is_anomaly = ref.one_class_digits(dev)
    x = zeros[:16]
    model, latent_d, g_opt, d_opt = _case(dev)
    model_ref, latent_ref, g_opt_ref, d_opt_ref = _case(dev)
    model_start, latent_start = copy.deepcopy(model), copy.deepcopy(latent_d)
    g_events, d_events = ref.record_events(g_opt), ref.record_events(d_opt)
    torch.manual_seed(0)
    found = _result(student.anomaly_step(model, latent_d, g_opt, d_opt, x.clone(), **WEIGHTS))
    torch.manual_seed(0)
    expected = ref.reference_anomaly_step(model_ref, latent_ref, g_opt_ref, d_opt_ref, x, **WEIGHTS)
    expect(g_events.count("step") == 1 and d_events.count("step") == 1,
           f"anomaly_step should update the adversarial network once and the model once, found "
           f"{d_events.count('step')} d_optimizer.step() and {g_events.count('step')} g_optimizer.step().")
    expect(not same_parameters(latent_d, latent_start), "latent_d's weights did not change: call d_optimizer.zero_grad() "
           "before its backward(), and d_optimizer.step() after it.")
    expect(not same_parameters(model, model_start), "The model's weights did not change: call g_optimizer.zero_grad() "
           "before its backward(), and g_optimizer.step() after it.")
    expect(same_parameters(latent_d, latent_ref, atol=1e-5),
           "After the step latent_d's weights differ from a correct step's. Its update: d_optimizer.zero_grad(); "
           "BCE_with_logits(latent_d(torch.randn_like(z)), 1) + BCE_with_logits(latent_d(z.detach()), 0); backward(); "
           "d_optimizer.step() — before the model's update.")
    expect(same_parameters(model, model_ref, atol=1e-5),
           "After the step the model's weights differ from a correct step's. Its update: g_optimizer.zero_grad() right "
           "before its backward() (the adversarial update must leave no gradient in the model: use z.detach() there); "
           "w_adv·BCE_with_logits(latent_d(z), 1) + w_con·l_con + w_enc·l_enc, with the weights passed in; "
           "backward(); g_optimizer.step().")
    for key in ("D", "adv", "con", "enc"):
        expect_close(found[key], expected[key], f"the returned {key!r}", 1e-4,
                     "Return the losses as floats: D = the adversarial network's loss, adv = BCE_with_logits(latent_d(z), "
                     "1), con and enc from anomaly_losses, all computed in this step.")

    # Short training on 32 zeros: the scores of held-out zeros fall below those of other digits.
    model, latent_d = ref.tiny_anomaly_model(device=dev), ref.tiny_latent_discriminator(device=dev)
    g_opt, d_opt = ref.adam(model, 2e-3), ref.adam(latent_d, 2e-3)
    before = ref.auroc(is_anomaly, ref.anomaly_score(model, scored))
    torch.manual_seed(0)
    cons = [_result(student.anomaly_step(model, latent_d, g_opt, d_opt, zeros[:32], 1.0, 50.0, 1.0))["con"]
            for _ in range(60)]
    after = ref.auroc(is_anomaly, ref.anomaly_score(model, scored))
    expect(cons[-1] < 0.6 * cons[0], f"60 steps on the same 32 zeros should lower l_con by 40 % or more; it went "
           f"{cons[0]:.3f} → {cons[-1]:.3f}.")
    expect(after >= 0.7, f"After 60 steps on zeros, the AUROC of ‖z − z_hat‖ on 500 held-out digits (zeros normal) "
           f"should be 0.7 or more (0.5 is chance); it went {before:.2f} → {after:.2f}.")

import copy

import torch

from autograder.toolkit.device_probe import expect_on_meta
from autograder.toolkit.expect import expect, expect_close, expect_floats, same_parameters
from autograder.hw4_vae_gan import fixtures as fx
from autograder.hw4_vae_gan import reference as ref
from autograder.toolkit.modes import expect_training_mode
from autograder.toolkit.steps import Update, expect_updates, read_events, stale_with_adam

WEIGHTS = dict(w_adv=2.0, w_con=10.0, w_enc=3.0)  # not the defaults: the weights must be used (as the probe's)


def _result(value) -> dict:
    return expect_floats(value, "anomaly_step", ("D", "adv", "con", "enc"))


def _prior(answer, n: int):
    """The prior sample latent_d was shown: the rows of its inputs that are none of the model's codes."""
    shown, codes = answer["shown"], answer["codes"]
    if not (isinstance(shown, list) and isinstance(codes, list)):
        return None
    known = [c.reshape(-1, fx.NZ).float() for c in codes if isinstance(c, torch.Tensor) and c.numel() % fx.NZ == 0]
    rows = []
    for value in shown:
        if not isinstance(value, torch.Tensor) or value.numel() % fx.NZ:
            return None
        for row in value.reshape(-1, fx.NZ).float():
            if not any(bool((k - row).abs().max(dim=1).values.min() < 1e-6) for k in known if len(k)):
                rows.append(row)
    return torch.stack(rows) if len(rows) == n else None


NO_CUT = "no .detach(), no torch.no_grad(); "


def test_p11_anomaly_step(answer):
    """Anomaly-model training step"""
    # The step ran with a stand-in anomaly_losses: a mistake there costs problem 10 only.
    seeds = fx.step_seeds(answer.seed)
    zeros, scored, is_anomaly = fx.one_class_digits()
    x = zeros[seeds["zeros"]:seeds["zeros"] + 16]
    model, latent_d = fx.tiny_anomaly_model(seeds["model"]), fx.tiny_latent_discriminator(seeds["latent_d"])
    model_ref, latent_ref = copy.deepcopy(model), copy.deepcopy(latent_d)
    model_start, latent_start = copy.deepcopy(model), copy.deepcopy(latent_d)
    _, _, g_opt_ref, d_opt_ref = stale_with_adam(model_ref, latent_ref)
    found = _result(answer["result"])
    g_events, d_events = read_events(answer, "g_events"), read_events(answer, "d_events")
    prior = _prior(answer, len(x))
    if prior is not None:
        expect(abs(prior.mean().item()) < 0.5 and 0.6 < prior.std().item() < 1.4,
               f"The samples latent_d is shown as the prior have mean {prior.mean().item():.2f} and standard deviation "
               f"{prior.std().item():.2f}: draw them from N(0, I) with torch.randn_like(z).")
    torch.manual_seed(0)
    expected = ref.reference_anomaly_step(model_ref, latent_ref, g_opt_ref, d_opt_ref, x, **WEIGHTS, prior=prior,
                                          losses=fx.stand_in_anomaly_losses)
    model.load_state_dict(answer.state("model", model, "the model's weights after your step"))
    latent_d.load_state_dict(answer.state("latent_d", latent_d, "latent_d's weights after your step"))
    expect_updates("anomaly_step",
                   Update("d_optimizer", "latent_d", d_events, moved=not same_parameters(latent_d, latent_start),
                          hint=NO_CUT),
                   Update("g_optimizer", "the model", g_events, moved=not same_parameters(model, model_start),
                          hint=NO_CUT))
    expect_training_mode(answer["modes"], "anomaly_step", ("model", "latent_d"))
    expect_on_meta(answer["meta"], "anomaly_step(...) with the networks and x on the meta device",
                   "Draw the prior's samples with torch.randn_like(z) and make the labels with torch.ones_like / "
                   "torch.zeros_like of the logits: they take the device of the tensor they copy.")
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

    # Short training on 32 zeros: the scores of held-out zeros fall below those of other digits (judged here, from
    # the weights the steps ended with).
    results = answer["train_results"]
    expect(isinstance(results, list) and len(results) == 60, "The grader could not read what anomaly_step returned.")
    for value in results:
        _result(value)
    model = fx.tiny_anomaly_model()
    with torch.no_grad():
        z, x_hat, z_hat = model(zeros[:32])
        con_before = ref.anomaly_losses(zeros[:32], x_hat, z, z_hat)[0].item()
    before = ref.auroc(is_anomaly, ref.anomaly_score(model, scored))
    model.load_state_dict(answer.state("model_trained", model, "the model's weights after 60 steps"))
    with torch.no_grad():
        z, x_hat, z_hat = model(zeros[:32])
        con_after = ref.anomaly_losses(zeros[:32], x_hat, z, z_hat)[0].item()
    after = ref.auroc(is_anomaly, ref.anomaly_score(model, scored))
    expect(con_after < 0.6 * con_before, f"60 steps on the same 32 zeros should lower l_con by 40 % or more; it went "
           f"{con_before:.3f} → {con_after:.3f}.")
    expect(after >= 0.7, f"After 60 steps on zeros, the AUROC of ‖z − z_hat‖ on 500 held-out digits (zeros normal) "
           f"should be 0.7 or more (0.5 is chance); it went {before:.2f} → {after:.2f}.")


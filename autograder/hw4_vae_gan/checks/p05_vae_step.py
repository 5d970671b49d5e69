import copy


from autograder.toolkit.expect import expect, expect_close, expect_floats, same_parameters
from autograder.hw4_vae_gan import fixtures as fx
from autograder.hw4_vae_gan import reference as ref
from autograder.toolkit.modes import expect_training_mode
from autograder.toolkit.steps import Update, expect_updates, read_events


def _result(value) -> dict:
    return expect_floats(value, "vae_step", ("loss", "reconstruction", "kl"))


NO_CUT = "no .detach(), no torch.no_grad(); "


def test_p05_vae_step(answer):
    """VAE training step"""
    # The step ran with stand-in helpers (vae_loss, kl_divergence, reparameterize): a mistake there costs its own problem.
    seeds = fx.step_seeds(answer.seed)
    x = fx.unit_batch(32, offset=seeds["x"])
    vae = fx.tiny_vae(seeds["vae"])
    vae_ref, start = copy.deepcopy(vae), copy.deepcopy(vae)
    ref.fill_grads(vae_ref)
    opt_ref = ref.adam(vae_ref)
    found = _result(answer["result"])
    expected = ref.reference_vae_step(vae_ref, opt_ref, x, loss_fn=fx.stand_in_vae_loss(answer.seed))
    events = read_events(answer)
    vae.load_state_dict(answer.state("vae", vae, "the VAE's weights after your step"))
    expect_updates("vae_step",
                   Update("optimizer", "the VAE", events, moved=not same_parameters(vae, start), hint=NO_CUT))
    expect_training_mode(answer["modes"], "vae_step", ("vae",))
    expect(same_parameters(vae, vae_ref, atol=1e-5),
           "After the step the weights differ from a correct step's: optimizer.zero_grad() (stale gradients are left "
           "in .grad), logits, mu, logvar = vae(x), loss = vae_loss(...)[0], loss.backward(), optimizer.step().")
    for key in ("loss", "reconstruction", "kl"):
        expect_close(found[key], expected[key], f"the returned {key} (before the update)", 1e-4,
                     f"Return vae_loss(...)'s {key} term as a float (.item()).")

    # Short training on real digits: the negative ELBO (computed here from the weights the steps ended with) falls.
    results = answer["train_results"]
    expect(isinstance(results, list) and len(results) == 30, "The grader could not read what vae_step returned.")
    for value in results:
        _result(value)
    vae, x = fx.tiny_vae(seed=1), fx.unit_batch(32)
    first = ref.negative_elbo(vae, x)
    vae.load_state_dict(answer.state("vae_trained", vae, "the VAE's weights after 30 steps"))
    last = ref.negative_elbo(vae, x)
    expect(last < 0.7 * first, f"30 steps on the same 32 digits should lower the negative ELBO by 30 % or more; it "
           f"went {first:.1f} → {last:.1f}.")

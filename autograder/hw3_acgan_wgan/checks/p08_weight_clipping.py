import torch

from autograder.toolkit.expect import expect
from autograder.toolkit.gradient_paths import layer_name
from autograder.hw3_acgan_wgan import fixtures as fx

C = fx.CLIP_C  # not the default 0.01: the function must use its argument


def _tensors(answer, key, like: list) -> list:
    found = answer[key]
    expect(isinstance(found, list) and len(found) == len(like)
           and all(isinstance(t, torch.Tensor) and t.shape == p.shape and t.is_floating_point()
                   for t, p in zip(found, like)),
           "The grader could not read the critic's parameters after clip_weights: keep each parameter's shape.")
    return [t.to(p.dtype) for t, p in zip(found, like)]


def test_p08_weight_clipping(answer):
    """Weight clipping"""
    critic = fx.clipping_critic(answer.seed)
    named = [(name, p.detach().clone()) for name, p in critic.named_parameters()]
    expect(answer["result_ok"] is True,
           "clip_weights should clip the critic's parameters in place and return nothing; it returned "
           f"{answer['result_type']}.")
    expect(answer["same_parameters"] is True,
           "clip_weights replaced the critic's parameters by new tensors, which the optimiser does not know: clamp "
           "them in place (p.clamp_(-c, c) inside torch.no_grad()).")
    after = _tensors(answer, "after", [p for _, p in named])
    for p, (name, old) in zip(after, named):
        kind = layer_name(critic, name)  # "layer 0.0 (Linear) bias", as the network was built
        wanted = old.clamp(-C, C)
        if torch.equal(p, old) and not torch.equal(old, wanted):
            expect(False, f"clip_weights({C}) left the {kind} unchanged (largest |value| "
                   f"{old.abs().max().item():.3f}): clamp *every* parameter of the critic, biases included, in "
                   "place. (A new tensor such as p = p.clamp(...) or p.data.clamp(...) changes nothing.)")
        if not torch.allclose(p, wanted, atol=1e-7):
            low, high = p.min().item(), p.max().item()
            expect(False, f"After clip_weights(critic, {C}) the {kind} lies in [{low:.4f}, {high:.4f}]; every "
                   f"value should be clamped to [-c, c] = [{-C}, {C}] with c the argument, and values already inside "
                   "left as they are (clamp, do not rescale or clip only one side).")
    expect(answer["grads_none"] is True, "clip_weights should not touch the gradients; it clamps the weights.")

    # A network whose weights are all inside [-c, c] is left alone.
    inside = [p.detach().clone() for p in fx.inside_network(answer.seed, C).parameters()]
    found = _tensors(answer, "inside_after", inside)
    expect(all(torch.equal(p, q) for p, q in zip(found, inside)),
           "clip_weights changed weights that were already inside [-c, c]: clamp them, do not rescale them.")

import pytest
import torch
from torch import nn

from autograder.expect import expect
from autograder.hw3_acgan_wgan import reference as ref

C = 0.03  # not the default 0.01: the function must use its argument


@pytest.mark.points(10)
def test_p08_weight_clipping(student):
    """Weight clipping"""
    dev = ref.device_of(student)
    critic = ref.tiny_critic(device=dev)
    with torch.no_grad():
        for i, p in enumerate(critic.parameters()):
            p.copy_(torch.randn(p.shape, generator=torch.Generator().manual_seed(i)) * 0.05)
    params = list(critic.parameters())
    before = [p.detach().clone() for p in params]
    result = student.clip_weights(critic, C)
    expect(result is None or result is critic,
           "clip_weights should clip the critic's parameters in place and return nothing; it returned "
           f"{type(result).__name__}.")
    after = list(critic.parameters())
    expect(len(after) == len(params) and all(p is q for p, q in zip(after, params)),
           "clip_weights replaced the critic's parameters by new tensors, which the optimiser does not know: clamp "
           "them in place (p.clamp_(-c, c) inside torch.no_grad()).")
    for p, old, (name, _) in zip(params, before, critic.named_parameters()):
        kind = "bias" if p.ndim == 1 else "weight"
        wanted = old.clamp(-C, C)
        if torch.equal(p.detach(), old) and not torch.equal(old, wanted):
            expect(False, f"clip_weights({C}) left the {kind} {name} unchanged (largest |value| "
                   f"{old.abs().max().item():.3f}): clamp *every* parameter of the critic, biases included, in "
                   "place. (A new tensor such as p = p.clamp(...) or p.data.clamp(...) changes nothing.)")
        if not torch.allclose(p.detach(), wanted, atol=1e-7):
            low, high = p.detach().min().item(), p.detach().max().item()
            expect(False, f"After clip_weights(critic, {C}) the {kind} {name} lies in [{low:.4f}, {high:.4f}]; every "
                   f"value should be clamped to [-c, c] = [{-C}, {C}] with c the argument, and values already inside "
                   "left as they are (clamp, do not rescale or clip only one side).")
    expect(all(p.grad is None for p in params), "clip_weights should not touch the gradients; it clamps the weights.")

    # A network whose weights are all inside [-c, c] is left alone.
    inside = nn.Linear(5, 3).to(dev)
    with torch.no_grad():
        inside.weight.uniform_(-C / 2, C / 2)
        inside.bias.uniform_(-C / 2, C / 2)
    copy = [p.detach().clone() for p in inside.parameters()]
    student.clip_weights(inside, C)
    expect(all(torch.equal(p.detach(), q) for p, q in zip(inside.parameters(), copy)),
           "clip_weights changed weights that were already inside [-c, c]: clamp them, do not rescale them.")

import pytest
import torch
from torch import nn

from autograder.expect import expect


def _params(optimizer) -> set[int]:
    return {id(p) for group in optimizer.param_groups for p in group["params"]}


@pytest.mark.points(5)
def test_p09_rmsprop(student):
    """RMSprop optimisers"""
    G, critic = nn.Sequential(nn.Linear(4, 6), nn.Linear(6, 2)), nn.Sequential(nn.Linear(2, 5), nn.Linear(5, 1))
    lr = 7e-5
    made = student.make_wgan_optimizers(G, critic, lr=lr)
    expect(isinstance(made, (tuple, list)) and len(made) == 2,
           f"make_wgan_optimizers should return a pair (g_optimizer, c_optimizer), found {type(made).__name__}.")
    g_opt, c_opt = made
    for name, opt in (("g_optimizer", g_opt), ("c_optimizer", c_opt)):
        expect(isinstance(opt, torch.optim.RMSprop),
               f"{name} should be torch.optim.RMSprop (Algorithm 1 of the WGAN paper), found {type(opt).__name__}.")
        for group in opt.param_groups:
            expect(abs(group["lr"] - lr) < 1e-12, f"{name}'s learning rate should be the lr argument ({lr:g}), found "
                   f"{group['lr']:g}.")
            expect(group.get("momentum", 0) == 0, f"{name} uses momentum {group.get('momentum')}: the WGAN paper uses "
                   "RMSprop without momentum (momentum made the clipped critic's training unstable).")
    g_ids, c_ids = _params(g_opt), _params(c_opt)
    G_ids, C_ids = {id(p) for p in G.parameters()}, {id(p) for p in critic.parameters()}
    if g_ids == C_ids and c_ids == G_ids:
        expect(False, "The optimisers are swapped: return (g_optimizer, c_optimizer), G's first.")
    expect(g_ids == G_ids, "g_optimizer should update exactly the generator's parameters (G.parameters()).")
    expect(c_ids == C_ids, "c_optimizer should update exactly the critic's parameters (critic.parameters()).")
    default = student.make_wgan_optimizers(G, critic)
    expect(all(abs(g["lr"] - 5e-5) < 1e-12 for opt in default for g in opt.param_groups),
           "Without an lr argument the learning rate should be the paper's α = 5e-5.")

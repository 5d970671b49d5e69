import pytest
import torch

from autograder.expect import expect


@pytest.mark.points(5)
def test_p06_optimizers(student):
    """One Adam optimiser per network"""
    G, D = student.Generator(100), student.Discriminator()
    pair = student.make_optimizers(G, D, 3e-4, 7e-4)
    expect(isinstance(pair, tuple) and len(pair) == 2, "make_optimizers(G, D, d_lr, g_lr) should return (d_optimizer, g_optimizer).")
    d_opt, g_opt = pair
    for name, opt, model, lr in (("d_optimizer", d_opt, D, 3e-4), ("g_optimizer", g_opt, G, 7e-4)):
        expect(isinstance(opt, torch.optim.Adam), f"{name} should be torch.optim.Adam, found {type(opt).__name__}.")
        params = {id(p) for group in opt.param_groups for p in group["params"]}
        net = "D" if model is D else "G"
        expect(params == {id(p) for p in model.parameters()},
               f"{name} should optimise exactly {net}.parameters(); it holds other parameters. Are the two swapped?")
        lrs = {group["lr"] for group in opt.param_groups}
        expect(lrs == {lr}, f"{name} should use learning rate {lr:g} here ({'d_lr' if net == 'D' else 'g_lr'}), found {sorted(lrs)}.")

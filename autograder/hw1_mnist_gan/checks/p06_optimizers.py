from autograder.toolkit.expect import expect


def test_p06_optimizers(answer):
    """One Adam optimiser per network"""
    expect(answer["pair"] is True,
           "make_optimizers(G, D, d_lr, g_lr) should return (d_optimizer, g_optimizer).")
    d_lr, g_lr = answer["lrs_asked"]
    for name, net, lr in (("d_optimizer", "D", d_lr), ("g_optimizer", "G", g_lr)):
        opt = answer[name]
        expect(opt["adam"] is True, f"{name} should be torch.optim.Adam, found {opt['type']}.")
        expect(opt["holds"] == net,
               f"{name} should optimise exactly {net}.parameters(); it holds other parameters. Are the two swapped?")
        expect(len(opt["lrs"]) == 1 and isinstance(opt["lrs"][0], float) and abs(opt["lrs"][0] - lr) < 1e-12,
               f"{name} should use learning rate {lr:g} here ({'d_lr' if net == 'D' else 'g_lr'}), "
               f"found {opt['lrs']}.")

from autograder.toolkit.expect import expect

LR = 7e-5


def test_p09_rmsprop(answer):
    """RMSprop optimisers"""
    expect(answer["pair"] is True,
           f"make_wgan_optimizers should return a pair (g_optimizer, c_optimizer), found {answer['made_type']}.")
    for name in ("g_optimizer", "c_optimizer"):
        opt = answer[name]
        expect(isinstance(opt, dict) and isinstance(opt.get("groups"), list),
               f"The grader could not read {name}.")
        expect(opt.get("rmsprop") is True,
               f"{name} should be torch.optim.RMSprop (Algorithm 1 of the WGAN paper), found {opt.get('type')}.")
        for group in opt["groups"]:
            lr, momentum = group.get("lr"), group.get("momentum")
            expect(isinstance(lr, (int, float)) and abs(lr - LR) < 1e-12,
                   f"{name}'s learning rate should be the lr argument ({LR:g}), found "
                   f"{lr:g}." if isinstance(lr, (int, float)) else f"{name}'s learning rate should be the lr "
                   f"argument ({LR:g}), found {lr!r}.")
            expect(momentum == 0, f"{name} uses momentum {momentum}: the WGAN paper uses "
                   "RMSprop without momentum (momentum made the clipped critic's training unstable).")
    g_holds, c_holds = answer["g_optimizer"]["holds"], answer["c_optimizer"]["holds"]
    if g_holds == "critic" and c_holds == "G":
        expect(False, "The optimisers are swapped: return (g_optimizer, c_optimizer), G's first.")
    expect(g_holds == "G", "g_optimizer should update exactly the generator's parameters (G.parameters()).")
    expect(c_holds == "critic", "c_optimizer should update exactly the critic's parameters (critic.parameters()).")
    default = answer["default_lrs"]
    expect(isinstance(default, list) and all(isinstance(lr, (int, float)) and abs(lr - 5e-5) < 1e-12 for lr in default),
           "Without an lr argument the learning rate should be the paper's α = 5e-5.")

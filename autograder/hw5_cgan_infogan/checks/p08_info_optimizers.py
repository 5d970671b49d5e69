from autograder.toolkit.expect import expect
from autograder.hw5_cgan_infogan import fixtures as fx

PARTS = ("G", "the trunk", "d_head", "q_head")
NAMES = ("d_optimizer", "g_optimizer", "info_optimizer")


def _optimizer(answer, name: str) -> dict:
    """What the probe recorded of one optimiser, checked to have the form it writes."""
    opt = answer[name]
    ok = (isinstance(opt, dict) and isinstance(opt.get("adam"), bool) and isinstance(opt.get("betas"), list)
          and isinstance(opt.get("parts"), dict) and all(
              isinstance(opt["parts"].get(part), dict) and isinstance(opt["parts"][part].get("all"), bool)
              and isinstance(opt["parts"][part].get("any"), bool) and isinstance(opt["parts"][part].get("rates"), list)
              for part in PARTS))
    expect(ok, f"The grader could not read {name}.")
    return opt


def _betas(value):
    return tuple(value) if isinstance(value, (tuple, list)) else value


def test_p08_info_optimizers(answer):
    """InfoGAN's three optimisers"""
    lr_d, lr_g = fx.info_learning_rates(answer.seed)
    expect(answer["triple"] is True,
           f"make_info_optimizers should return (d_optimizer, g_optimizer, info_optimizer), found {answer['type']}.")
    made = [_optimizer(answer, name) for name in NAMES]
    for name, opt in zip(NAMES, made):
        expect(opt["adam"], f"{name} should be torch.optim.Adam, found {opt.get('type')}.")
        expect(all(_betas(b) == (0.5, 0.999) for b in opt["betas"]),
               f"{name} should use betas=(0.5, 0.999) (DCGAN's and InfoGAN's), found "
               f"{[_betas(b) for b in opt['betas']]}.")
    d_opt, g_opt, info_opt = made

    def holds(opt, part):
        return opt["parts"][part]["all"]

    if holds(g_opt, "the trunk") and not holds(g_opt, "G"):
        expect(False, "The first two optimisers look swapped: return (d_optimizer, g_optimizer, info_optimizer).")
    for name, opt, needed in (("d_optimizer", d_opt, {"the trunk": lr_d, "d_head": lr_d}),
                              ("g_optimizer", g_opt, {"G": lr_g}),
                              ("info_optimizer", info_opt, {"G": lr_g, "the trunk": lr_d, "q_head": lr_d})):
        missing = [part for part in needed if not holds(opt, part)]
        expect(not missing, f"{name} does not hold {' and '.join(missing)}: it should train "
               f"{', '.join(needed)}." + (" The information term trains G and Q together: Q is D's trunk with q_head."
                                          if name == "info_optimizer" else ""))
        for part, lr in needed.items():
            rates = opt["parts"][part]["rates"]
            expect(rates == [lr], f"{name}'s learning rate for {part} should be {'lr_d' if lr == lr_d else 'lr_g'} = "
                   f"{lr:g} (the argument), found {rates}." + (
                       " Give the information optimiser two parameter groups, G's at lr_g and Q's at lr_d: each keeps "
                       "its own network's rate." if name == "info_optimizer" else ""))
    expect(not any(g_opt["parts"][part]["any"] for part in ("the trunk", "d_head", "q_head")),
           "g_optimizer holds some of D's parameters: its step would train D to be fooled. Give it G.parameters() only.")
    defaults = answer["default_lrs"]
    expect(isinstance(defaults, list) and len(defaults) == 2 and all(isinstance(v, float) for v in defaults)
           and abs(defaults[0] - 2e-4) < 1e-12 and abs(defaults[1] - 1e-3) < 1e-12,
           "Without arguments the learning rates should be lr_d = 2e-4 and lr_g = 1e-3.")

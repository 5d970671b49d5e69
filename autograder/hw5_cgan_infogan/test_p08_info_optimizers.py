import pytest
import torch

from autograder.expect import expect
from autograder.hw5_cgan_infogan import reference as ref


def _lrs(optimizer) -> dict[int, float]:
    return {id(p): group["lr"] for group in optimizer.param_groups for p in group["params"]}


def _ids(*modules) -> set[int]:
    return {id(p) for m in modules for p in m.parameters()}


@pytest.mark.points(10)
def test_p08_info_optimizers(student):
    """InfoGAN's three optimisers"""
    G, D = ref.tiny_info_generator(), ref.tiny_info_discriminator()
    lr_d, lr_g = 3e-4, 7e-4
    made = student.make_info_optimizers(G, D, lr_d=lr_d, lr_g=lr_g)
    expect(isinstance(made, (tuple, list)) and len(made) == 3,
           f"make_info_optimizers should return (d_optimizer, g_optimizer, info_optimizer), found {type(made).__name__}.")
    names = ("d_optimizer", "g_optimizer", "info_optimizer")
    for name, opt in zip(names, made):
        expect(isinstance(opt, torch.optim.Adam), f"{name} should be torch.optim.Adam, found {type(opt).__name__}.")
        expect(all(tuple(g["betas"]) == (0.5, 0.999) for g in opt.param_groups),
               f"{name} should use betas=(0.5, 0.999) (DCGAN's and InfoGAN's), found "
               f"{[tuple(g['betas']) for g in opt.param_groups]}.")
    d_lrs, g_lrs, info_lrs = (_lrs(opt) for opt in made)
    parts = {"G": _ids(G), "the trunk": _ids(D.trunk), "d_head": _ids(D.d_head), "q_head": _ids(D.q_head)}

    def holds(lrs, part):
        return parts[part] <= set(lrs)

    if holds(g_lrs, "the trunk") and not holds(g_lrs, "G"):
        expect(False, "The first two optimisers look swapped: return (d_optimizer, g_optimizer, info_optimizer).")
    for name, lrs, needed in (("d_optimizer", d_lrs, {"the trunk": lr_d, "d_head": lr_d}), ("g_optimizer", g_lrs, {"G": lr_g}),
                              ("info_optimizer", info_lrs, {"G": lr_g, "the trunk": lr_d, "q_head": lr_d})):
        missing = [part for part in needed if not holds(lrs, part)]
        expect(not missing, f"{name} does not hold {' and '.join(missing)}: it should train "
               f"{', '.join(needed)}." + (" The information term trains G and Q together: Q is D's trunk with q_head."
                                          if name == "info_optimizer" else ""))
        for part, lr in needed.items():
            rates = sorted({lrs[i] for i in parts[part]})
            expect(rates == [lr], f"{name}'s learning rate for {part} should be {'lr_d' if lr == lr_d else 'lr_g'} = "
                   f"{lr:g} (the argument), found {rates}." + (
                       " Give the information optimiser two parameter groups, G's at lr_g and Q's at lr_d: each keeps "
                       "its own network's rate." if name == "info_optimizer" else ""))
    expect(not _ids(D) & set(g_lrs), "g_optimizer holds some of D's parameters: its step would train D to be fooled. "
           "Give it G.parameters() only.")
    defaults = student.make_info_optimizers(G, D)
    expect(abs(defaults[0].param_groups[0]["lr"] - 2e-4) < 1e-12 and abs(defaults[1].param_groups[0]["lr"] - 1e-3) < 1e-12,
           "Without arguments the learning rates should be lr_d = 2e-4 and lr_g = 1e-3.")

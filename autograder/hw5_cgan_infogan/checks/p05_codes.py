import torch

from autograder.pipeline.answer import type_name
from autograder.toolkit.device_probe import expect_on_meta
from autograder.toolkit.expect import expect
from autograder.hw5_cgan_infogan import fixtures as fx
from autograder.hw5_cgan_infogan import reference as ref
from autograder.hw5_cgan_infogan.checks_common import expect_shape, ran


def _shapes(values) -> list:
    if not isinstance(values, (list, tuple)):
        return [type_name(values)]
    return [tuple(t.shape) if isinstance(t, torch.Tensor) else type_name(t) for t in values]


def test_p05_codes(answer):
    """Sampling InfoGAN's codes"""
    expect(answer["triple"] is True,
           f"sample_codes should return the triple (noise, cat, cont), found {answer['type']}.")
    codes = answer["codes"]
    expect(isinstance(codes, list) and len(codes) == 3, "The grader could not read what sample_codes returned.")
    noise, cat, cont = codes
    call = "sample_codes(30000, device, n_noise=5, n_cat=4, n_cont=3)"
    expect_shape(noise, (30_000, 5), f"The noise of {call}", "Use the n_noise argument.")
    expect_shape(cat, (30_000,), f"The categories of {call}", "One integer per image: torch.randint(0, n_cat, (n,)).")
    expect_shape(cont, (30_000, 3), f"The continuous codes of {call}", "Use the n_cont argument.")
    expect(answer["devices"] == [answer["device_type"]] * 3,
           f"Put all three on the device that was passed ({answer['device']}).")
    expect_on_meta(answer["meta"], "sample_codes(3, torch.device(\"meta\"), n_noise=5, n_cat=4, n_cont=3)",
                   "Create each tensor on the device that was passed (device=device), so that training on a GPU gets "
                   "GPU codes.")
    expect(cat.dtype == torch.long, f"The categories should be integers (torch.long), found {cat.dtype}: "
           "torch.randint, not a one-hot vector (info_input makes that).")
    share = torch.stack([(cat == k).float().mean() for k in range(4)])
    expect(bool(cat.min() >= 0 and cat.max() <= 3) and share.min() > 0.23 and share.max() < 0.27,
           f"The categories should be uniform over 0 … n_cat − 1 = 3; their shares are "
           f"{[round(v, 3) for v in share.tolist()]}.")
    c = cont.float()
    expect(c.min() >= -1 and c.max() <= 1 and c.min() < -0.99 and c.max() > 0.99,
           f"The continuous codes should fill [-1, 1]; they range over [{c.min():.3f}, {c.max():.3f}]. "
           "torch.rand(n, n_cont) * 2 - 1.")
    expect(abs(c.std().item() - 3 ** -0.5) < 0.01 and abs(c.mean().item()) < 0.01,
           f"The continuous codes should be uniform on [-1, 1] (mean 0, std 0.577); found mean {c.mean():.3f}, std "
           f"{c.std():.3f}.")
    expect(c.T.corrcoef().fill_diagonal_(0).abs().max() < 0.05, "Draw each continuous code independently.")
    v = noise.float()
    expect(abs(v.mean().item()) < 0.02 and abs(v.std().item() - 1) < 0.02 and (v.abs() > 3).any(),
           f"The noise should be standard normal (torch.randn); found mean {v.mean():.3f}, std {v.std():.3f}.")
    again = _shapes(answer["again"])
    expect(again == [(4, 62), (4,), (4, 2)],
           f"sample_codes(4, device) should default to 62 noise numbers, 10 categories and 2 continuous codes; shapes "
           f"{again}.")
    expect(not torch.equal(answer["again"][0], answer.tensor("again_noise", "sample_codes(4, device)[0]")),
           "Each call should draw new noise.")

    noise, cat, cont = fx.info_input_case(answer.seed)
    call = "info_input(noise, cat, cont, n_cat=4)"
    x = ran(answer, "x", call, "The generator's input puts each image's noise, one-hot category and continuous codes "
            "side by side, torch.cat([noise, F.one_hot(cat, n_cat).float(), cont], dim=1)")
    expected = ref.info_input(noise, cat, cont, n_cat=4)
    narrow = 6 + int(cat.max()) + 1 + 2  # F.one_hot(cat) without n_cat: as many columns as the largest category + 1
    if isinstance(x, torch.Tensor) and x.shape == (5, narrow):
        expect(False, f"{call} for 6 noise numbers and 2 continuous codes returned {narrow} columns, not 12: its "
               f"one-hot part has {narrow - 8}, one per category up to the largest one drawn ({int(cat.max())}), as "
               "F.one_hot(cat) gives without its width. Pass the number of categories: F.one_hot(cat, n_cat).")
    expect_shape(x, (5, 12), "info_input for 6 noise numbers, 4 categories and 2 continuous codes",
                 "Concatenate [noise, F.one_hot(cat, n_cat).float(), cont] along dim=1 (use the n_cat argument).")
    expect(x.dtype == noise.dtype, f"info_input should return floats like the noise, found {x.dtype}: turn the one-hot "
           "vectors into floats (F.one_hot(cat, n_cat).float()).")
    expect(torch.allclose(x, expected), "info_input's columns are wrong: the order is the noise, the one-hot category "
           "(a single 1 in column n_noise + cat), then the continuous codes.")

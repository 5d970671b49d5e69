import pytest
import torch

from autograder.expect import expect, expect_shape
from autograder.hw5_cgan_infogan import reference as ref


@pytest.mark.points(10)
def test_p05_codes(student):
    """Sampling InfoGAN's codes"""
    dev = ref.device_of(student)
    torch.manual_seed(0)
    out = student.sample_codes(30_000, dev, n_noise=5, n_cat=4, n_cont=3)
    expect(isinstance(out, (tuple, list)) and len(out) == 3,
           f"sample_codes should return the triple (noise, cat, cont), found {type(out).__name__}.")
    noise, cat, cont = out
    call = "sample_codes(30000, device, n_noise=5, n_cat=4, n_cont=3)"
    expect_shape(noise, (30_000, 5), f"The noise of {call}", "Use the n_noise argument.")
    expect_shape(cat, (30_000,), f"The categories of {call}", "One integer per image: torch.randint(0, n_cat, (n,)).")
    expect_shape(cont, (30_000, 3), f"The continuous codes of {call}", "Use the n_cont argument.")
    expect(all(t.device.type == dev.type for t in out), f"Put all three on the device that was passed ({dev}).")
    expect(cat.dtype == torch.long, f"The categories should be integers (torch.long), found {cat.dtype}: "
           "torch.randint, not a one-hot vector (info_input makes that).")
    share = torch.bincount(cat.cpu(), minlength=4).float() / len(cat)
    expect(len(share) == 4 and share.min() > 0.23 and share.max() < 0.27,
           f"The categories should be uniform over 0 … n_cat − 1 = 3; their shares are "
           f"{[round(v, 3) for v in share.tolist()]}.")
    c = cont.detach().cpu()
    expect(c.min() >= -1 and c.max() <= 1 and c.min() < -0.99 and c.max() > 0.99,
           f"The continuous codes should fill [-1, 1]; they range over [{c.min():.3f}, {c.max():.3f}]. "
           "torch.rand(n, n_cont) * 2 - 1.")
    expect(abs(c.std().item() - 3 ** -0.5) < 0.01 and abs(c.mean().item()) < 0.01,
           f"The continuous codes should be uniform on [-1, 1] (mean 0, std 0.577); found mean {c.mean():.3f}, std "
           f"{c.std():.3f}.")
    expect(c.T.corrcoef().fill_diagonal_(0).abs().max() < 0.05, "Draw each continuous code independently.")
    v = noise.detach().cpu()
    expect(abs(v.mean().item()) < 0.02 and abs(v.std().item() - 1) < 0.02 and (v.abs() > 3).any(),
           f"The noise should be standard normal (torch.randn); found mean {v.mean():.3f}, std {v.std():.3f}.")
    again = student.sample_codes(4, dev)
    expect([tuple(t.shape) for t in again] == [(4, 62), (4,), (4, 2)],
           f"sample_codes(4, device) should default to 62 noise numbers, 10 categories and 2 continuous codes; shapes "
           f"{[tuple(t.shape) for t in again]}.")
    expect(not torch.equal(again[0], student.sample_codes(4, dev)[0]), "Each call should draw new noise.")

    noise = torch.randn(5, 6, device=dev)
    cat = torch.tensor([0, 3, 1, 3, 2], device=dev)
    cont = torch.rand(5, 2, device=dev) * 2 - 1
    x = student.info_input(noise, cat, cont, n_cat=4)
    expected = ref.info_input(noise, cat, cont, n_cat=4)
    expect_shape(x, (5, 12), "info_input for 6 noise numbers, 4 categories and 2 continuous codes",
                 "Concatenate [noise, F.one_hot(cat, n_cat).float(), cont] along dim=1 (use the n_cat argument).")
    expect(x.dtype == noise.dtype, f"info_input should return floats like the noise, found {x.dtype}: turn the one-hot "
           "vectors into floats (F.one_hot(cat, n_cat).float()).")
    expect(torch.allclose(x, expected), "info_input's columns are wrong: the order is the noise, the one-hot category "
           "(a single 1 in column n_noise + cat), then the continuous codes.")

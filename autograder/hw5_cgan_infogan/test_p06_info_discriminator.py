import pytest
import torch
from torch import nn

from autograder.expect import expect, expect_shape
from autograder.hw5_cgan_infogan import reference as ref
from autograder.probes import expect_class_logits, expect_logits, with_large_weight_matrices

PARTS = ("trunk", "d_head", "q_head")


def _outputs(D, x, call):
    out = D(x)
    expect(isinstance(out, (tuple, list)) and len(out) == 3,
           f"{call} should return the triple (logits, cat_logits, cont_mean), found "
           f"{type(out).__name__}{' of length ' + str(len(out)) if isinstance(out, (tuple, list)) else ''}.")
    return out


def _reaches(outputs, module) -> bool:
    """Does backpropagating from ``outputs`` give ``module``'s weights a non-zero gradient?"""
    grads = torch.autograd.grad(sum(t.sum() for t in outputs), list(module.parameters()), allow_unused=True,
                                retain_graph=True)
    return any(g is not None and g.abs().sum() > 0 for g in grads)


@pytest.mark.points(10)
def test_p06_info_discriminator(student):
    """InfoGAN discriminator with its Q head"""
    dev = ref.device_of(student)
    torch.manual_seed(0)
    call = "InfoDiscriminator(width=8, n_cat=10, n_cont=2)"
    D = student.InfoDiscriminator(width=8, n_cat=10, n_cont=2)
    expect(isinstance(D, nn.Module), f"{call} should create an nn.Module, found {type(D).__name__}.")
    missing = [name for name in PARTS if not isinstance(getattr(D, name, None), nn.Module)]
    expect(not missing, f"{call} has no module named {', '.join(missing)}: name the three parts self.trunk, "
           "self.d_head and self.q_head.")
    D = D.to(dev)
    x, _ = ref.mnist_batch(16, dev)
    logits, cat_logits, cont_mean = _outputs(D, x, call)
    expect_shape(logits, (16, 1), f"The real/fake logits of {call} for 16 images", "d_head is Linear(16·width, 1).")
    expect_shape(cat_logits, (16, 10), f"The category logits of {call} for 16 images",
                 "The first n_cat columns of q_head's output.")
    expect_shape(cont_mean, (16, 2), f"The continuous means of {call} for 16 images",
                 "The last n_cont columns of q_head's output.")
    other = _outputs(student.InfoDiscriminator(width=8, n_cat=5, n_cont=3).to(dev), x,
                     "InfoDiscriminator(width=8, n_cat=5, n_cont=3)")
    expect([tuple(t.shape) for t in other] == [(16, 1), (16, 5), (16, 3)],
           f"InfoDiscriminator(width=8, n_cat=5, n_cont=3) should return shapes [(16, 1), (16, 5), (16, 3)], found "
           f"{[tuple(t.shape) for t in other]}: use the n_cat and n_cont arguments.")
    first = next((m for m in D.trunk.modules() if isinstance(m, nn.Conv2d)), None)
    expect(first is not None and first.out_channels == 8,
           f"The trunk's first convolution should have width = 8 output channels, found "
           f"{getattr(first, 'out_channels', 'no convolution')}: use the width argument.")

    expect(_reaches([logits], D.trunk) and _reaches([cat_logits, cont_mean], D.trunk),
           "Both heads should read the trunk's features: h = self.trunk(x), then self.d_head(h) and self.q_head(h).")
    expect(_reaches([logits], D.d_head) and not _reaches([logits], D.q_head),
           "D's logits should come from d_head alone (q_head must not change them).")
    expect(_reaches([cat_logits], D.q_head) and _reaches([cont_mean], D.q_head) and
           not _reaches([cat_logits, cont_mean], D.d_head),
           "Q's outputs (the category logits and the continuous means) should both come from q_head, not d_head.")
    expect(not torch.allclose(cat_logits[:, :2], cont_mean),
           "The continuous means repeat the first category logits: split q_head's output, q[:, :n_cat] and q[:, n_cat:].")

    D.eval()  # BatchNorm's running statistics: each verdict depends on its own image
    big_logits, big_cat, big_cont = with_large_weight_matrices(D, x)
    expect_logits(big_logits, "D's outputs")
    expect_class_logits(big_cat, "The category outputs")
    expect(big_cont.abs().max() > 1.5, f"The continuous means stay within ±{big_cont.abs().max().item():.2f} even with "
           "large weights: return q_head's outputs as they are (no Tanh or Sigmoid on the means).")

import torch

from autograder.integrity.student_text import one_line
from autograder.toolkit.expect import expect
from autograder.toolkit.structure import expect_structure
from autograder.toolkit.gradient_paths import expect_gradients_everywhere
from autograder.hw5_cgan_infogan.checks_common import expect_shape
from autograder.toolkit.open_range import expect_open_range
from autograder.toolkit.probes import expect_class_logits

PARTS = ("trunk", "d_head", "q_head")


def _expect_triple(kind, call: str) -> None:
    ok = isinstance(kind, dict) and kind.get("len") == 3
    length = kind.get("len") if isinstance(kind, dict) else None
    found = one_line(kind.get("type") if isinstance(kind, dict) else kind, 60)
    expect(ok, f"{call} should return the triple (logits, cat_logits, cont_mean), found "
           f"{found}{' of length ' + str(length) if isinstance(length, int) else ''}.")


def _reaches(answer, path: str) -> bool:
    """Whether backpropagating along ``path`` gave the module non-zero gradients (the probe's backward pass)."""
    value = answer["reaches"].get(path) if isinstance(answer["reaches"], dict) else None
    if isinstance(value, str):  # the backward pass raised: the student's error
        expect(False, "Backpropagating through your discriminator raised an error:", value)
    expect(isinstance(value, bool), "The grader could not read which parts of D your outputs come from.")
    return value


def test_p06_info_discriminator(answer):
    """InfoGAN discriminator with its Q head"""
    call = "InfoDiscriminator(width=8, n_cat=10, n_cont=2)"
    expect(answer["D_is_module"] is True, f"{call} should create an nn.Module, found {answer['D_type']}.")
    missing = answer["missing"]
    expect(isinstance(missing, list) and all(m in PARTS for m in missing),
           "The grader could not read the parts of your InfoDiscriminator.")
    expect(not missing, f"{call} has no module named {', '.join(missing)}: name the three parts self.trunk, "
           "self.d_head and self.q_head.")
    _expect_triple(answer["outputs"], call)
    logits, cat_logits, cont_mean = answer["logits"], answer["cat_logits"], answer["cont_mean"]
    expect_shape(logits, (16, 1), f"The real/fake logits of {call} for 16 images", "d_head is Linear(16·width, 1).")
    expect_shape(cat_logits, (16, 10), f"The category logits of {call} for 16 images",
                 "The first n_cat columns of q_head's output.")
    expect_shape(cont_mean, (16, 2), f"The continuous means of {call} for 16 images",
                 "The last n_cont columns of q_head's output.")
    _expect_triple(answer["other"], "InfoDiscriminator(width=8, n_cat=5, n_cont=3)")
    other = answer["other_shapes"]
    expect(other == [(16, 1), (16, 5), (16, 3)],
           f"InfoDiscriminator(width=8, n_cat=5, n_cont=3) should return shapes [(16, 1), (16, 5), (16, 3)], found "
           f"{other}: use the n_cat and n_cont arguments.")
    first = answer["first_conv"]
    expect(first == 8 and type(first) is int,
           f"The trunk's first convolution should have width = 8 output channels, found "
           f"{'no convolution' if first is None else first}: use the width argument.")

    shared = "compute the features once, h = self.trunk(x), and give them to both heads as they are, " \
             "self.d_head(h) and self.q_head(h), with no .detach() (or torch.no_grad()) in between: the trunk learns " \
             "from both losses."
    expect(_reaches(answer, "logits>trunk"), f"Backpropagating from D's logits leaves no gradient in the trunk: {shared}")
    expect(_reaches(answer, "q>trunk"), f"Backpropagating from Q's outputs leaves no gradient in the trunk: Q should "
           f"read the trunk's features ({shared})")
    expect(_reaches(answer, "logits>d_head") and not _reaches(answer, "logits>q_head"),
           "D's logits should come from d_head alone (q_head must not change them).")
    expect(not _reaches(answer, "q>d_head"),
           "Q's outputs (the category logits and the continuous means) change with d_head: they should both come from "
           "q_head, not d_head.")
    for path, what in (("cat>q_head", "category logits"), ("cont>q_head", "continuous means")):
        expect(_reaches(answer, path), f"Backpropagating from Q's {what} leaves no gradient in q_head: take them from "
               "q_head's output as it is (q = self.q_head(h); q[:, :n_cat] and q[:, n_cat:]), with no .detach().")
    expect(not torch.allclose(cat_logits[:, :2], cont_mean),
           "The continuous means repeat the first category logits: split q_head's output, q[:, :n_cat] and q[:, n_cat:].")

    big = answer["big"]
    expect(isinstance(big, (tuple, list)) and len(big) == 3 and all(isinstance(t, torch.Tensor) for t in big),
           f"{call} with large weights should still return the triple (logits, cat_logits, cont_mean).")
    big_logits, big_cat, big_cont = big
    expect(all(t.ndim == 2 and t.is_floating_point() for t in big),
           f"{call} with large weights should still return N×1, N×n_cat and N×n_cont tensors.")
    expect_open_range(big_logits, "D's real/fake outputs", "Return d_head's output as it is (logits, not probabilities: no "
                      "Sigmoid or other activation after it): binary_cross_entropy_with_logits applies the sigmoid itself.")
    expect_class_logits(big_cat, "The category outputs")
    # Logits are defined up to a constant per row (log_softmax's output is as good): judged with each row centred.
    expect_open_range(big_cat - big_cat.mean(1, keepdim=True), "the category logits (each row centred)",
                      "Return q_head's first n_cat outputs as they are (logits, no Sigmoid, Tanh or clamp): "
                      "F.cross_entropy applies log-softmax itself.")
    expect_open_range(big_cont, "the continuous means", "Return q_head's last n_cont outputs as they are: no Tanh, "
                      "Sigmoid or clamp on the means (the squared error needs unbounded means).")
    expect_gradients_everywhere(answer["gradients"], call)
    # InfoDiscriminator(width=8, n_cat=5, n_cont=3): trunk conv 1→8, conv 8→16 (4×4 kernels), Linear 784→128;
    # d_head 128→1; q_head 128→16, 16→8
    expect_structure(answer["structure"], "InfoDiscriminator(width=8, n_cat=5, n_cont=3)",
                     weights=1 * 8 * 16 + 8 * 16 * 16 + 784 * 128 + 128 + 128 * 16 + 16 * 8,
                     norms=["BatchNorm2d", "BatchNorm1d", "BatchNorm1d"], activations={"LeakyReLU(0.1)"})

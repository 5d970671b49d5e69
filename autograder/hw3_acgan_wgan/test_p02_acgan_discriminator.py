import pytest
import torch

from autograder.expect import expect
from autograder.hw3_acgan_wgan.judging import shape
from autograder.probes import expect_class_logits, expect_logits
from autograder.structure import expect_structure


def _heads(answer, key, call):
    heads = answer[key]
    expect(isinstance(heads, dict) and isinstance(heads.get("type"), str), "The grader could not read what "
           f"{call} returned.")
    length = heads.get("length")
    expect(heads.get("pair") is True,
           f"{call} should return a pair (source_logits, class_logits), found "
           f"{heads['type']}{' of length ' + str(length) if isinstance(length, int) else ''}.")


@pytest.mark.points(10)
def test_p02_acgan_discriminator(answer):
    """ACGAN discriminator with two heads"""
    call = "ACDiscriminator(n_classes=10, ndf=8)"
    expect(answer["D_is_module"] is True, f"{call} should create an nn.Module, found {answer['D_type']}.")
    _heads(answer, "heads", call)
    shape(answer["src"], (16, 1), f"The source logits of {call} for 16 images",
          "The source head is Linear(2·ndf·7·7, 1): one logit per image, N×1.")
    shape(answer["cls"], (16, 10), f"The class logits of {call} for 16 images",
          "The class head is Linear(2·ndf·7·7, n_classes): N×n_classes logits.")
    _heads(answer, "five_heads", "ACDiscriminator(n_classes=5, ndf=8)")
    shape(answer["five_cls"], (16, 5), "The class logits of ACDiscriminator(n_classes=5, ndf=8)",
          "Use the n_classes argument for the class head.")
    # Both heads are read in eval mode (BatchNorm's running statistics), where each verdict depends on its own image.
    src = shape(answer["eval_src"], (16, 1), f"The source logits of {call} for 16 images in eval mode")
    cls = shape(answer["eval_cls"], (16, 10), f"The class logits of {call} for 16 images in eval mode")
    big_src = shape(answer["big_src"], (16, 1), f"The source logits of {call} with large weights")
    big_cls = shape(answer["big_cls"], (16, 10), f"The class logits of {call} with large weights")
    expect(all(t.is_floating_point() for t in (src, cls, big_src, big_cls)), f"{call} should return float logits.")
    expect_logits(big_src, "the source outputs")
    expect_class_logits(big_cls, "The class outputs")
    expect(cls.std(0).mean() > 1e-6 and src.std() > 1e-6, "Both heads should depend on the image.")
    expect(not torch.allclose(src.flatten(), cls[:, 0], atol=1e-6),
           "The source logit equals the first class logit: give the source head its own Linear(…, 1) layer.")
    # ACDiscriminator(n_classes=5, ndf=8): conv 1→8 and 8→16 (4×4 kernels), source 784→1, classes 784→5
    expect_structure(answer["structure"], "ACDiscriminator(n_classes=5, ndf=8)",
                     weights=1 * 8 * 16 + 8 * 16 * 16 + 784 * 1 + 784 * 5, norms=["BatchNorm2d"],
                     activations={"LeakyReLU(0.2)"})

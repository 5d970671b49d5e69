import pytest
import torch
from torch import nn

from autograder.expect import expect, expect_shape
from autograder.hw3_acgan_wgan import reference as ref
from autograder.probes import expect_class_logits, expect_logits, with_large_weight_matrices


def _heads(D, x, call):
    out = D(x)
    expect(isinstance(out, (tuple, list)) and len(out) == 2,
           f"{call} should return a pair (source_logits, class_logits), found "
           f"{type(out).__name__}{' of length ' + str(len(out)) if isinstance(out, (tuple, list)) else ''}.")
    return out


@pytest.mark.points(10)
def test_p02_acgan_discriminator(student):
    """ACGAN discriminator with two heads"""
    dev = ref.device_of(student)
    torch.manual_seed(0)
    D = student.ACDiscriminator(n_classes=10, ndf=8)
    call = "ACDiscriminator(n_classes=10, ndf=8)"
    expect(isinstance(D, nn.Module), f"{call} should create an nn.Module, found {type(D).__name__}.")
    D = D.to(dev)
    x, _ = ref.mnist_batch(16, dev)
    src, cls = _heads(D, x, call)
    expect_shape(src, (16, 1), f"The source logits of {call} for 16 images",
                 "The source head is Linear(2·ndf·7·7, 1): one logit per image, N×1.")
    expect_shape(cls, (16, 10), f"The class logits of {call} for 16 images",
                 "The class head is Linear(2·ndf·7·7, n_classes): N×n_classes logits.")
    five = _heads(student.ACDiscriminator(n_classes=5, ndf=8).to(dev), x, "ACDiscriminator(n_classes=5, ndf=8)")[1]
    expect_shape(five, (16, 5), "The class logits of ACDiscriminator(n_classes=5, ndf=8)",
                 "Use the n_classes argument for the class head.")
    # Both heads are read in eval mode (BatchNorm's running statistics), where each verdict depends on its own image.
    D.eval()
    with torch.no_grad():
        src, cls = D(x)
    big_src, big_cls = with_large_weight_matrices(D, x)
    expect_logits(big_src, "the source outputs")
    expect_class_logits(big_cls, "The class outputs")
    expect(cls.std(0).mean() > 1e-6 and src.std() > 1e-6, "Both heads should depend on the image.")
    expect(not torch.allclose(src.flatten(), cls[:, 0], atol=1e-6),
           "The source logit equals the first class logit: give the source head its own Linear(…, 1) layer.")

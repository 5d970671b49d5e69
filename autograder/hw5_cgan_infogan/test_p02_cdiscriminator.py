import pytest
import torch
from torch import nn

from autograder.conditioning import expect_embedding, expect_uses_labels
from autograder.expect import expect, expect_shape
from autograder.hw5_cgan_infogan import reference as ref
from autograder.probes import expect_logits, with_large_weight_matrices


@pytest.mark.points(10)
def test_p02_cdiscriminator(student):
    """Conditional discriminator"""
    dev = ref.device_of(student)
    torch.manual_seed(0)
    D = student.CDiscriminator(n_classes=10, hidden=16)
    call = "CDiscriminator(n_classes=10, hidden=16)"
    expect(isinstance(D, nn.Module), f"{call} should create an nn.Module, found {type(D).__name__}.")
    expect_embedding(D, "CDiscriminator")
    D = D.to(dev)
    x, labels = ref.mnist_batch(16, dev)
    x2, _ = ref.mnist_batch(32, dev)
    logits = D(x, labels)
    expect_shape(logits, (16, 1), f"{call} applied to 16 images and their labels", "Return one logit per pair: N×1.")
    widths = sorted({m.out_features for m in D.modules() if isinstance(m, nn.Linear)})
    expect(widths == [1, 16, 32], f"With hidden=16 the Linear layers should have 32, 16 and 1 outputs, found {widths}: "
           "use the hidden argument (2·hidden, then hidden).")
    D.eval()
    expect_logits(with_large_weight_matrices(D, x, labels), "the outputs")
    torch.manual_seed(0)
    D = student.CDiscriminator(n_classes=10, hidden=16).to(dev)
    expect_uses_labels(D, x, x2[16:], labels, "CDiscriminator", "logits", "images", 1e-7,
                       "Concatenate the label embedding with the flattened images (torch.cat([x.flatten(1), "
                       "embed(labels)], dim=1)) and feed the result to the network.")
    D5 = student.CDiscriminator(n_classes=5, hidden=16).to(dev)
    expect_shape(D5(x[:5], torch.arange(5, device=dev)), (5, 1), "CDiscriminator(n_classes=5, hidden=16) applied to 5 "
                 "images and the labels 0–4", "Use the n_classes argument for the embedding.")

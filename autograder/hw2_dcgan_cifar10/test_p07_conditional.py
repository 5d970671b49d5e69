import pytest
import torch
from torch import nn

from autograder.conditioning import expect_embedding, expect_uses_labels
from autograder.expect import expect, expect_shape
from autograder.hw2_dcgan_cifar10 import reference as ref
from autograder.steps import reference_helpers


@pytest.mark.points(15)
def test_p07_conditional(student):
    """Conditional generator and discriminator"""
    # Built on problem 02's Generator and 03's Discriminator: the reference versions stand in for them here, so a
    # mistake there costs those problems only.
    with reference_helpers(student.ConditionalGenerator.__init__, **ref.DCGAN_MODELS), \
            reference_helpers(student.ConditionalDiscriminator.__init__, **ref.DCGAN_MODELS):
        _check_conditional(student)


def _check_conditional(student):
    dev = ref.device_of(student)
    torch.manual_seed(0)
    nz, n = 20, 6
    G = student.ConditionalGenerator(nz=nz, n_classes=10, ngf=8)
    expect(isinstance(G, nn.Module), f"ConditionalGenerator(...) should create an nn.Module, found {type(G).__name__}.")
    expect_embedding(G, "ConditionalGenerator")
    G = G.to(dev)
    z, z2 = torch.randn(n, nz, device=dev), torch.randn(n, nz, device=dev)
    labels = torch.arange(n, device=dev)
    out = G(z, labels)
    expect_shape(out, (n, 3, 32, 32), f"ConditionalGenerator(nz={nz}, n_classes=10, ngf=8) applied to {n} noise "
                 f"vectors of size {nz} and {n} labels", "Return N×3×32×32 images.")
    expect(bool((out.abs() <= 1).all()), "ConditionalGenerator's images should lie in [-1, 1] (end with a Tanh).")
    expect_uses_labels(G, z, z2, labels, "ConditionalGenerator", "images", "noise", 1e-6,
                        "Concatenate the label embedding with z (torch.cat([z, embedding(labels)], dim=1)) and feed "
                        "the result to the generator.")

    torch.manual_seed(1)
    D = student.ConditionalDiscriminator(n_classes=10, ndf=8)
    expect(isinstance(D, nn.Module), f"ConditionalDiscriminator(...) should create an nn.Module, found {type(D).__name__}.")
    expect_embedding(D, "ConditionalDiscriminator")
    D = D.to(dev)
    images = ref.cifar_batch(n, dev)
    images2 = ref.cifar_batch(2 * n, dev)[n:]
    verdict = D(images, labels)
    expect_shape(verdict, (n, 1), f"ConditionalDiscriminator(n_classes=10, ndf=8) applied to {n} images of "
                 f"3×32×32 and {n} labels", "Return one probability per image as an N×1 tensor.")
    expect(bool(((verdict > 0) & (verdict < 1)).all()),
           f"ConditionalDiscriminator's outputs should be probabilities in (0, 1), found {verdict.min().item():.3f} … "
           f"{verdict.max().item():.3f}. End with a Sigmoid.")
    expect_uses_labels(D, images, images2, labels, "ConditionalDiscriminator", "verdicts", "images", 1e-7,
                        "Turn the label embedding into a 1×32×32 map and concatenate it to the images as a fourth "
                        "channel.")

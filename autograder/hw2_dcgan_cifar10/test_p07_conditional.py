import pytest
import torch
from torch import nn

from autograder.expect import expect, expect_shape
from autograder.hw2_dcgan_cifar10 import reference as ref
from autograder.steps import reference_helpers


def _has_embedding(model: nn.Module, name: str) -> None:
    expect(any(isinstance(m, nn.Embedding) for m in model.modules()),
           f"{name} should learn a vector per class with an nn.Embedding(n_classes, ...) layer; it has none. Turn the "
           "integer labels into embeddings rather than feeding the raw label numbers to the network.")


def _change(a: torch.Tensor, b: torch.Tensor) -> float:
    return (a - b).abs().mean().item()


def _expect_embedding_learns(model: nn.Module, output: torch.Tensor, name: str) -> None:
    """The label embedding must be on the path to the output: backpropagating reaches its weights."""
    output.sum().backward()
    reached = [m for m in model.modules() if isinstance(m, nn.Embedding)
               and m.weight.grad is not None and m.weight.grad.abs().sum() > 0]
    expect(bool(reached), f"{name}'s nn.Embedding gets no gradient from the output: the embedding exists but the "
           "network does not use it (feeding the raw label numbers instead?). Feed embedding(labels) to the network.")


def _expect_uses_labels(model: nn.Module, x, x2, labels, name: str, what: str, inputs: str, tiny: float,
                        hint: str) -> None:
    """``model(x, labels)`` depends on its inputs, on the labels, on each image's own label, and learns its embedding.

    In eval mode BatchNorm uses its running statistics, so each result depends only on its own input and label.
    """
    other = (labels + 3) % 10
    model.eval()
    with torch.no_grad():
        base = model(x, labels)
        by_input, by_label = _change(base, model(x2, labels)), _change(base, model(x, other))
    expect(by_input > tiny, f"{name}'s {what} do not depend on the {inputs}: feed them to the network together with "
           "the label embedding.")
    expect(by_label > max(tiny, 1e-3 * by_input),
           f"Changing only the labels (same {inputs}, eval mode) changed {name}'s {what} by {by_label:.2e} on average "
           f"(changing the {inputs}: {by_input:.2e}): the labels are ignored. {hint}")
    one = labels.clone()
    one[3] = (one[3] + 5) % 10
    with torch.no_grad():
        _expect_per_image_labels(base, model(x, one), 3, name, what)
    model.train()
    _expect_embedding_learns(model, model(x, labels), name)


def _expect_per_image_labels(base: torch.Tensor, changed: torch.Tensor, k: int, name: str, what: str) -> None:
    """Only image ``k``'s label changed: only its result may change, and it must."""
    own = _change(base[k], changed[k])
    others = _change(torch.cat([base[:k], base[k + 1:]]), torch.cat([changed[:k], changed[k + 1:]]))
    expect(own > 1e-7 and others < 1e-5,
           f"Changing only image {k}'s label changed {name}'s {what} for that image by {own:.2e} and for the other "
           f"images by {others:.2e}: each image must be conditioned on its own label (embedding(labels) gives one "
           "row per image; do not use labels[0] or one label for the whole batch).")


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
    _has_embedding(G, "ConditionalGenerator")
    G = G.to(dev)
    z, z2 = torch.randn(n, nz, device=dev), torch.randn(n, nz, device=dev)
    labels = torch.arange(n, device=dev)
    out = G(z, labels)
    expect_shape(out, (n, 3, 32, 32), f"ConditionalGenerator(nz={nz}, n_classes=10, ngf=8) applied to {n} noise "
                 f"vectors of size {nz} and {n} labels", "Return N×3×32×32 images.")
    expect(bool((out.abs() <= 1).all()), "ConditionalGenerator's images should lie in [-1, 1] (end with a Tanh).")
    _expect_uses_labels(G, z, z2, labels, "ConditionalGenerator", "images", "noise", 1e-6,
                        "Concatenate the label embedding with z (torch.cat([z, embedding(labels)], dim=1)) and feed "
                        "the result to the generator.")

    torch.manual_seed(1)
    D = student.ConditionalDiscriminator(n_classes=10, ndf=8)
    expect(isinstance(D, nn.Module), f"ConditionalDiscriminator(...) should create an nn.Module, found {type(D).__name__}.")
    _has_embedding(D, "ConditionalDiscriminator")
    D = D.to(dev)
    images = ref.cifar_batch(n, dev)
    images2 = ref.cifar_batch(2 * n, dev)[n:]
    verdict = D(images, labels)
    expect_shape(verdict, (n, 1), f"ConditionalDiscriminator(n_classes=10, ndf=8) applied to {n} images of "
                 f"3×32×32 and {n} labels", "Return one probability per image as an N×1 tensor.")
    expect(bool(((verdict > 0) & (verdict < 1)).all()),
           f"ConditionalDiscriminator's outputs should be probabilities in (0, 1), found {verdict.min().item():.3f} … "
           f"{verdict.max().item():.3f}. End with a Sigmoid.")
    _expect_uses_labels(D, images, images2, labels, "ConditionalDiscriminator", "verdicts", "images", 1e-7,
                        "Turn the label embedding into a 1×32×32 map and concatenate it to the images as a fourth "
                        "channel.")

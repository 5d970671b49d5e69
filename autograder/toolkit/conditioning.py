"""Conditional networks: does a network's output depend on each image's own label?

Shared by every homework with a conditional generator or discriminator (HW2's cGAN, HW3's ACGAN, HW5's CGAN). The
checks read behaviour: changing only the labels must change the output, image by image, and the label
embedding must be on the path to the output (it gets a gradient).
"""
from __future__ import annotations

import torch
from torch import nn

from autograder.toolkit.expect import expect, expect_shape
from autograder.toolkit.probes import expect_output_activation, trace
from autograder.toolkit.sizes import probe_size


def expect_embedding(model: nn.Module, name: str) -> None:
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


def expect_uses_labels(model: nn.Module, x, x2, labels, name: str, what: str, inputs: str, tiny: float,
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


def expect_conditional_generator(make, call: str, name: str, nz: int, device, shape_hint: str) -> nn.Module:
    """The checks every conditional MNIST generator shares; returns the generator built by ``make(n_classes=10)``.

    ``make(n_classes)`` builds ``G(z, labels)`` → N×1×28×28 images in [-1, 1]: shapes for N×nz and N×nz×1×1
    noise, the Tanh that produces the output, a learned embedding of each image's own label, ``n_classes`` used.
    """
    n = 6
    torch.manual_seed(0)
    G = make(10)
    expect(isinstance(G, nn.Module), f"{call} should create an nn.Module, found {type(G).__name__}.")
    expect_embedding(G, name)
    G = G.to(device)
    z, z2 = torch.randn(n, nz, device=device), torch.randn(n, nz, device=device)
    labels = torch.arange(n, device=device)
    out = G(z, labels)
    expect_shape(out, (n, 1, 28, 28), f"{call} applied to {n} noise vectors of size {nz} and {n} labels", shape_hint)
    expect_shape(G(z.view(n, nz, 1, 1), labels), (n, 1, 28, 28), f"{call} applied to noise of shape N×{nz}×1×1",
                 "Flatten the noise first: z.reshape(len(z), -1).")
    expect(bool((out.abs() <= 1).all()), f"{name}'s images should lie in [-1, 1] (end with a Tanh).")
    expect_output_activation(call, trace(G, z, labels), nn.Tanh)
    expect_uses_labels(G, z, z2, labels, name, "images", "noise", 1e-6,
                       "Concatenate the label embedding with z (torch.cat([z, embedding(labels)], dim=1)) and feed "
                       "the result to the network.")
    five = make(probe_size("n_classes")).to(device)
    expect_shape(five(z[:5], torch.arange(5, device=device)), (5, 1, 28, 28),
                 f"{call.replace('n_classes=10', 'n_classes=5')} applied to 5 noise vectors and the labels 0–4",
                 "Use the n_classes argument for the embedding.")
    return G

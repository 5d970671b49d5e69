import pytest
import torch

from autograder.answer import type_name
from autograder.conditioning import _change, _expect_per_image_labels
from autograder.expect import expect, expect_shape


def _embedding(answer, key: str, name: str) -> None:
    expect(answer[f"{key}_embedding"] is True,
           f"{name} should learn a vector per class with an nn.Embedding(n_classes, ...) layer; it has none. Turn the "
           "integer labels into embeddings rather than feeding the raw label numbers to the network.")


def _same_shape(answer, key: str, like: torch.Tensor, what: str) -> torch.Tensor:
    value = answer[key]
    expect(isinstance(value, torch.Tensor) and value.shape == like.shape,
           f"{what} should give a tensor of shape {tuple(like.shape)} every time, found "
           f"{tuple(value.shape) if isinstance(value, torch.Tensor) else type_name(value)}.")
    return value


def _expect_uses_labels(answer, key: str, name: str, what: str, inputs: str, tiny: float, hint: str) -> None:
    """The judge's half of :func:`autograder.conditioning.expect_uses_labels`, on the outputs the probe recorded."""
    base = answer[f"{key}_base"]
    expect(isinstance(base, torch.Tensor), f"{name} should return a tensor, found {type_name(base)}.")
    call = f"{name} in eval mode"
    by_input = _change(base, _same_shape(answer, f"{key}_by_input", base, call))
    by_label = _change(base, _same_shape(answer, f"{key}_by_label", base, call))
    expect(by_input > tiny, f"{name}'s {what} do not depend on the {inputs}: feed them to the network together with "
           "the label embedding.")
    expect(by_label > max(tiny, 1e-3 * by_input),
           f"Changing only the labels (same {inputs}, eval mode) changed {name}'s {what} by {by_label:.2e} on average "
           f"(changing the {inputs}: {by_input:.2e}): the labels are ignored. {hint}")
    _expect_per_image_labels(base, _same_shape(answer, f"{key}_one", base, call), 3, name, what)
    expect(answer[f"{key}_embedding_learns"] is True,
           f"{name}'s nn.Embedding gets no gradient from the output: the embedding exists but the network does not use "
           "it (feeding the raw label numbers instead?). Feed embedding(labels) to the network.")


@pytest.mark.points(15)
def test_p07_conditional(answer):
    """Conditional generator and discriminator"""
    # Built on problem 02's Generator and 03's Discriminator: stand-ins (fixtures.py) took their place in the
    # student's classes, so a mistake there costs those problems only.
    nz, n = 20, 6
    expect(answer["G_is_module"] is True,
           f"ConditionalGenerator(...) should create an nn.Module, found {answer['G_type']}.")
    _embedding(answer, "G", "ConditionalGenerator")
    out = answer["G_out"]
    what = f"ConditionalGenerator(nz={nz}, n_classes=10, ngf=8) applied to {n} noise vectors of size {nz} and {n} labels"
    expect(isinstance(out, torch.Tensor), f"{what} should be a torch.Tensor, found {type_name(out)}.")
    expect_shape(out, (n, 3, 32, 32), what, "Return N×3×32×32 images.")
    expect(bool((out.abs() <= 1).all()), "ConditionalGenerator's images should lie in [-1, 1] (end with a Tanh).")
    _expect_uses_labels(answer, "G", "ConditionalGenerator", "images", "noise", 1e-6,
                        "Concatenate the label embedding with z (torch.cat([z, embedding(labels)], dim=1)) and feed "
                        "the result to the generator.")

    expect(answer["D_is_module"] is True,
           f"ConditionalDiscriminator(...) should create an nn.Module, found {answer['D_type']}.")
    _embedding(answer, "D", "ConditionalDiscriminator")
    verdict = answer["D_out"]
    what = f"ConditionalDiscriminator(n_classes=10, ndf=8) applied to {n} images of 3×32×32 and {n} labels"
    expect(isinstance(verdict, torch.Tensor), f"{what} should be a torch.Tensor, found {type_name(verdict)}.")
    expect_shape(verdict, (n, 1), what, "Return one probability per image as an N×1 tensor.")
    expect(bool(((verdict > 0) & (verdict < 1)).all()),
           f"ConditionalDiscriminator's outputs should be probabilities in (0, 1), found {verdict.min().item():.3f} … "
           f"{verdict.max().item():.3f}. End with a Sigmoid.")
    _expect_uses_labels(answer, "D", "ConditionalDiscriminator", "verdicts", "images", 1e-7,
                        "Turn the label embedding into a 1×32×32 map and concatenate it to the images as a fourth "
                        "channel.")

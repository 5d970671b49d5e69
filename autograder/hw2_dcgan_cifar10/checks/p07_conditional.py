import re

import torch

from autograder.pipeline.answer import type_name
from autograder.toolkit.conditioning import _change, _expect_per_image_labels
from autograder.toolkit.expect import expect, expect_shape
from autograder.toolkit.gradient_paths import expect_gradients_everywhere
from autograder.hw2_dcgan_cifar10.probes import CGEN_EMBED
from autograder.toolkit.structure import expect_structure

# What the conditional networks are built on in this check (fixtures.py's stand-ins for problems 02 and 03):
# StandInGenerator(nz_in) has one Linear(nz_in, 3·8·8) and a Tanh; StandInDiscriminator(ndf, channels=4) a
# Conv2d(4, ndf, 4, 4) with ELU, a Linear(ndf·8·8, 1) and a Sigmoid.
N_FIVE = 5


def _cgen_weights(nz: int, n_classes: int, embed_dim: int) -> int:
    return n_classes * embed_dim + (nz + embed_dim) * 3 * 8 * 8


def _cdisc_weights(n_classes: int, ndf: int) -> int:
    return n_classes * 32 * 32 + 4 * ndf * 16 + ndf * 8 * 8


def _no_error(answer, key: str, call: str, joins: str) -> None:
    """A RuntimeError of the network's forward pass, explained where it shows a concatenation on the wrong dimension."""
    error = answer.get(f"{key}_error")
    if error is None:
        return
    error = error if isinstance(error, str) else type_name(error)
    found = re.search(r"must match except in dimension (\d+)", error)
    if found and found.group(1) != "1":
        expect(False, f"{call} fails (the error is quoted below): torch.cat joined {joins} along dimension "
               f"{found.group(1)}. Join them along dim=1, torch.cat([...], dim=1).", error)
    expect(False, f"{call} fails:", error)


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
    """The judge's half of :func:`autograder.toolkit.conditioning.expect_uses_labels`, on the outputs the probe recorded."""
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


def test_p07_conditional(answer):
    """Conditional generator and discriminator"""
    # Built on problem 02's Generator and 03's Discriminator: stand-ins (fixtures.py) took their place in the
    # student's classes, so a mistake there costs those problems only.
    nz, n = 20, 6
    expect(answer["G_is_module"] is True,
           f"ConditionalGenerator(...) should create an nn.Module, found {answer['G_type']}.")
    _embedding(answer, "G", "ConditionalGenerator")
    what = f"ConditionalGenerator(nz={nz}, n_classes=10, ngf=8) applied to {n} noise vectors of size {nz} and {n} labels"
    _no_error(answer, "G", what, "z and the label embedding (N×nz and N×embed_dim)")
    out = answer["G_out"]
    expect(isinstance(out, torch.Tensor), f"{what} should be a torch.Tensor, found {type_name(out)}.")
    expect_shape(out, (n, 3, 32, 32), what, "Return N×3×32×32 images.")
    expect(bool((out.abs() <= 1).all()), "ConditionalGenerator's images should lie in [-1, 1] (end with a Tanh).")
    _expect_uses_labels(answer, "G", "ConditionalGenerator", "images", "noise", 1e-6,
                        "Concatenate the label embedding with z (torch.cat([z, embedding(labels)], dim=1)) and feed "
                        "the result to the generator.")
    expect_gradients_everywhere(answer["G_grads"], "ConditionalGenerator(nz=20, n_classes=10, ngf=8)")
    call = f"ConditionalGenerator(nz={nz}, n_classes={N_FIVE}, ngf=8, embed_dim={CGEN_EMBED})"
    expect_structure(answer["G_structure"], call, weights=_cgen_weights(nz, N_FIVE, CGEN_EMBED), norms=[],
                     activations={"Tanh"}, embeddings=[N_FIVE])

    expect(answer["D_is_module"] is True,
           f"ConditionalDiscriminator(...) should create an nn.Module, found {answer['D_type']}.")
    _embedding(answer, "D", "ConditionalDiscriminator")
    what = f"ConditionalDiscriminator(n_classes=10, ndf=8) applied to {n} images of 3×32×32 and {n} labels"
    _no_error(answer, "D", what, "the images and the label map (N×3×32×32 and N×1×32×32)")
    verdict = answer["D_out"]
    expect(isinstance(verdict, torch.Tensor), f"{what} should be a torch.Tensor, found {type_name(verdict)}.")
    expect_shape(verdict, (n, 1), what, "Return one probability per image as an N×1 tensor.")
    expect(bool(((verdict > 0) & (verdict < 1)).all()),
           f"ConditionalDiscriminator's outputs should be probabilities in (0, 1), found {verdict.min().item():.3f} … "
           f"{verdict.max().item():.3f}. End with a Sigmoid.")
    _expect_uses_labels(answer, "D", "ConditionalDiscriminator", "verdicts", "images", 1e-7,
                        "Turn the label embedding into a 1×32×32 map and concatenate it to the images as a fourth "
                        "channel.")
    expect_gradients_everywhere(answer["D_grads"], "ConditionalDiscriminator(n_classes=10, ndf=8)")
    expect_structure(answer["D_structure"], f"ConditionalDiscriminator(n_classes={N_FIVE}, ndf=8)",
                     weights=_cdisc_weights(N_FIVE, 8), norms=[], activations={"ELU", "Sigmoid"},
                     embeddings=[N_FIVE])

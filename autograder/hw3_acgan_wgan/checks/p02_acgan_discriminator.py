import torch

from autograder.toolkit.expect import expect
from autograder.toolkit.gradient_paths import expect_gradients_everywhere
from autograder.hw3_acgan_wgan.judging import shape
from autograder.toolkit.open_range import expect_open_range
from autograder.toolkit.probes import expect_class_logits, expect_logits
from autograder.toolkit.structure import expect_structure


def _heads(answer, key, call):
    heads = answer[key]
    expect(isinstance(heads, dict) and isinstance(heads.get("type"), str), "The grader could not read what "
           f"{call} returned.")
    length = heads.get("length")
    expect(heads.get("pair") is True,
           f"{call} should return a pair (source_logits, class_logits), found "
           f"{heads['type']}{' of length ' + str(length) if isinstance(length, int) else ''}.")


def _reached(found, call: str) -> set:
    """The parameters that one head's logits reach (as :func:`autograder.toolkit.gradient_paths.parameter_gradients` named
    them through the probe's one-head wrapper, whose ``net.`` prefix is dropped)."""
    expect(isinstance(found, list) and all(isinstance(f, (list, tuple)) and len(f) == 2 and isinstance(f[0], str)
                                           and (f[1] is None or isinstance(f[1], float)) for f in found),
           f"The grader could not read the gradients of {call}.")
    return {name.replace("layer net.", "layer ", 1) for name, grad in found if grad is not None and grad > 0}


def _listed(names: set) -> str:
    names = sorted(names)
    return ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "") if names else "nothing"


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
    # With large weights (and once more with each head's last layer negated) logits reach far out on both sides.
    expect_open_range(answer["open_src"], f"the source logits of {call}", "Return the source head's Linear output "
                      "as it is (no Sigmoid, no activation at all): the loss applies the Sigmoid.")
    open_cls = answer["open_cls"]
    if isinstance(open_cls, torch.Tensor) and open_cls.ndim == 2 and open_cls.is_floating_point():
        open_cls = open_cls - open_cls.mean(1, keepdim=True)  # cross_entropy ignores a shift of a whole row
    expect_open_range(open_cls, f"the class logits of {call} (less each row's mean, which cross_entropy ignores)",
                      "Return the class head's Linear output as "
                      "it is, without Softmax or any other activation: cross_entropy applies the log-softmax.")
    expect_logits(big_src, "the source outputs")
    expect_class_logits(big_cls, "The class outputs")
    expect(cls.std(0).mean() > 1e-6 and src.std() > 1e-6, "Both heads should depend on the image.")
    expect(not torch.allclose(src.flatten(), cls[:, 0], atol=1e-6),
           "The source logit equals the first class logit: give the source head its own Linear(…, 1) layer.")
    expect_gradients_everywhere(answer["gradients"], call)
    source, classes = _reached(answer["source_gradients"], call), _reached(answer["class_gradients"], call)
    expect(bool(source & classes),
           f"No parameter of {call} gets a gradient from both heads: the source logits reach {_listed(source)}, the "
           f"class logits only {_listed(classes)}. Both heads should read the same features (one shared trunk) "
           "and both losses should train it: do not detach the features for either head."
           if classes and source else f"One head of {call} reaches no parameter at all.")
    # ACDiscriminator(n_classes=5, ndf=8): conv 1→8 and 8→16 (4×4 kernels), source 784→1, classes 784→5
    expect_structure(answer["structure"], "ACDiscriminator(n_classes=5, ndf=8)",
                     weights=1 * 8 * 16 + 8 * 16 * 16 + 784 * 1 + 784 * 5, norms=["BatchNorm2d"],
                     activations={"LeakyReLU(0.2)"})

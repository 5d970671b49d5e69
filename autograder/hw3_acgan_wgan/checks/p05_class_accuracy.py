import torch

from autograder.pipeline.answer import type_name
from autograder.toolkit.device_probe import expect_on_meta
from autograder.toolkit.expect import expect
from autograder.hw3_acgan_wgan.fixtures import SWAPS


def _expected(n_classes: int) -> torch.Tensor:
    """The reader's accuracies: 0 for each class it reads as another one, 1 for the others."""
    return torch.tensor([0.0 if c in SWAPS and SWAPS[c] < n_classes else 1.0 for c in range(n_classes)])


def test_p05_class_accuracy(answer):
    """Class accuracy of generated digits, per class"""
    n_classes, n_per_class = 10, 7
    acc = answer["acc"]
    expect(isinstance(acc, torch.Tensor), f"class_accuracy_by_class should return a tensor, found {type_name(acc)}.")
    expect(tuple(acc.shape) == (n_classes,), f"class_accuracy_by_class should return one accuracy per class, shape "
           f"({n_classes},), found {tuple(acc.shape)}.")
    expected = _expected(n_classes)
    found = acc.float()
    seen, modes = answer["seen"], answer["modes"]
    expect(isinstance(seen, list) and all(isinstance(s, tuple) and len(s) == 2 and isinstance(s[0], bool)
                                          and isinstance(s[1], torch.Tensor) and s[1].dtype == torch.long
                                          and s[1].ndim == 1 for s in seen)
           and isinstance(modes, list) and all(isinstance(m, bool) for m in modes),
           "The grader could not read what class_accuracy_by_class asked the networks for.")
    drawn = torch.cat([labels for _, labels in seen]) if seen else torch.empty(0, dtype=torch.long)
    expect(bool((drawn >= 0).all()), "The grader could not read what class_accuracy_by_class asked the networks for.")
    counts = torch.bincount(drawn, minlength=n_classes).tolist()
    expect(counts == [n_per_class] * n_classes,
           f"The generator was asked for these numbers of images of each class: {counts}; draw n_per_class = "
           f"{n_per_class} images of every class (torch.arange(n_classes).repeat_interleave(n_per_class)).")
    expect(torch.allclose(found, expected, atol=1e-6),
           f"With a discriminator that reads every class right except {sorted(SWAPS)}, the accuracies should be "
           f"{expected.tolist()}, found {[round(v, 3) for v in found.tolist()]}. For each class c, compare the argmax "
           "(dim=1) of D's *class* logits (its second output) on G's images of class c with c, and average per "
           "class (not over all images).")
    expect(bool(modes) and not any(modes) and not any(mode for mode, _ in seen),
           "Measure with G and D in eval mode (G.eval(), D.eval()): BatchNorm should use its running statistics, "
           "not the statistics of this batch of generated images.")
    expect(answer["training_after"] == (True, True), "Put G and D back in training mode afterwards (they were "
           "training when class_accuracy_by_class was called, and training continues after it).")
    expect(answer["eval_G_after"] is False, "A generator that was in eval mode should stay in eval mode: restore "
           "each network's own mode (remember G.training before), rather than always switching to train mode.")
    expect_on_meta(answer["meta"], "class_accuracy_by_class with G and D on the device meta",
                   "Make every tensor on the generator's device: device = next(G.parameters()).device, then "
                   "torch.arange(n_classes, device=device) and torch.randn(..., device=device).")
    # Seven classes: the n_classes argument, not a constant.
    acc = answer["acc_7"]
    expect(isinstance(acc, torch.Tensor) and tuple(acc.shape) == (7,),
           f"class_accuracy_by_class(..., n_per_class=3, n_classes=7) should return 7 accuracies, found "
           f"{tuple(acc.shape) if isinstance(acc, torch.Tensor) else type_name(acc)}: use the n_classes argument.")
    expected = _expected(7)
    expect(torch.allclose(acc.float(), expected, atol=1e-6),
           f"With n_classes=7 the accuracies should be {expected.tolist()}, found "
           f"{[round(v, 3) for v in acc.float().tolist()]}: use the n_classes and n_per_class arguments.")

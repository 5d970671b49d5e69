import pytest
import torch
from torch import nn

from autograder.expect import expect
from autograder.hw3_acgan_wgan import reference as ref

SWAPS = {2: 6, 6: 2, 9: 0}  # the reader's mistakes: every 2 is read as a 6, 6 as 2, 9 as 0


class PatternGenerator(nn.Module):
    """Draws one fixed pattern per class, whatever the noise (it insists on N×nz noise, one row per image)."""

    def __init__(self, nz: int, n_classes: int):
        super().__init__()
        self.nz, self.seen = nz, []
        self.patterns = nn.Parameter(torch.eye(n_classes).repeat_interleave(28 * 28 // n_classes + 1, dim=1)
                                     [:, :28 * 28].reshape(n_classes, 1, 28, 28))

    def forward(self, z, labels):
        if z.ndim < 2 or z.shape[0] != labels.shape[0] or z[0].numel() != self.nz:
            raise AssertionError(f"class_accuracy_by_class gave the generator noise of shape {tuple(z.shape)} for "
                                 f"{labels.shape[0]} labels; expected one noise vector of size nz={self.nz} per image.")
        self.seen.append((self.training, labels.detach().cpu()))
        return self.patterns[labels]


class PatternReader(nn.Module):
    """Reads the pattern's class back, with a few classes swapped; its source head says nothing useful."""

    def __init__(self, n_classes: int):
        super().__init__()
        order = [SWAPS.get(c, c) for c in range(n_classes)]
        self.read = nn.Parameter(torch.eye(n_classes)[order] * 5, requires_grad=False)
        self.step = 28 * 28 // n_classes + 1
        self.modes = []

    def forward(self, x):
        self.modes.append(self.training)
        votes = x.flatten(1)[:, ::self.step][:, :len(self.read)]
        source = votes.argmax(1, keepdim=True).float()  # a "source" that would give other accuracies
        return source, votes @ self.read


@pytest.mark.points(5)
def test_p05_class_accuracy(student):
    """Class accuracy of generated digits, per class"""
    dev = ref.device_of(student)
    n_classes, n_per_class, nz = 10, 7, 12
    G, D = PatternGenerator(nz, n_classes).to(dev), PatternReader(n_classes).to(dev)
    torch.manual_seed(0)
    acc = student.class_accuracy_by_class(G, D, nz, n_per_class=n_per_class, n_classes=n_classes)
    expect(isinstance(acc, torch.Tensor), f"class_accuracy_by_class should return a tensor, found {type(acc).__name__}.")
    expect(tuple(acc.shape) == (n_classes,), f"class_accuracy_by_class should return one accuracy per class, shape "
           f"({n_classes},), found {tuple(acc.shape)}.")
    expected = torch.tensor([0.0 if c in SWAPS else 1.0 for c in range(n_classes)])
    found = acc.detach().float().cpu()
    drawn = torch.cat([labels for _, labels in G.seen]) if G.seen else torch.empty(0, dtype=torch.long)
    counts = torch.bincount(drawn, minlength=n_classes).tolist()
    expect(counts == [n_per_class] * n_classes,
           f"The generator was asked for these numbers of images of each class: {counts}; draw n_per_class = "
           f"{n_per_class} images of every class (torch.arange(n_classes).repeat_interleave(n_per_class)).")
    expect(torch.allclose(found, expected, atol=1e-6),
           f"With a discriminator that reads every class right except {sorted(SWAPS)}, the accuracies should be "
           f"{expected.tolist()}, found {[round(v, 3) for v in found.tolist()]}. For each class c, compare the argmax "
           "(dim=1) of D's *class* logits (its second output) on G's images of class c with c, and average per "
           "class (not over all images).")
    expect(bool(D.modes) and not any(D.modes) and not any(mode for mode, _ in G.seen),
           "Measure with G and D in eval mode (G.eval(), D.eval()): BatchNorm should use its running statistics, "
           "not the statistics of this batch of generated images.")
    expect(G.training and D.training, "Put G and D back in training mode afterwards (they were training when "
           "class_accuracy_by_class was called, and training continues after it).")
    G.eval()
    student.class_accuracy_by_class(G, D, nz, n_per_class=2, n_classes=n_classes)
    expect(not G.training, "A generator that was in eval mode should stay in eval mode: restore each network's own "
           "mode (remember G.training before), rather than always switching to train mode.")

import pytest
import torch
from torch import nn

from autograder.expect import expect, expect_shape
from autograder.hw5_cgan_infogan import reference as ref


class RecordingGenerator(nn.Module):
    """Draws its label as the image's value (plus a trace of the noise); records its mode and what it was given."""

    def __init__(self, nz: int):
        super().__init__()
        self.nz, self.calls = nz, []
        self.scale = nn.Parameter(torch.ones(()))

    def forward(self, z, labels):
        self.calls.append((self.training, torch.is_grad_enabled(), tuple(z.shape), labels.detach().cpu()))
        image = (labels.float() / 10 * self.scale).view(-1, 1, 1, 1) + 1e-3 * z.reshape(len(z), -1)[:, :1, None, None]
        return image.expand(-1, 1, 28, 28)


@pytest.mark.points(5)
def test_p04_conditional_samples(student):
    """Samples of every class"""
    dev = ref.device_of(student)
    nz, n_per_class = 7, 3
    G = RecordingGenerator(nz).to(dev)
    torch.manual_seed(0)
    out = student.conditional_samples(G, nz, n_per_class, n_classes=6)
    expect(isinstance(out, (tuple, list)) and len(out) == 2,
           f"conditional_samples should return the pair (images, labels), found {type(out).__name__}.")
    images, labels = out
    expected = torch.arange(6).repeat_interleave(n_per_class)
    expect_shape(labels, (18,), "The labels for n_per_class=3 and n_classes=6")
    expect(labels.cpu().tolist() == expected.tolist(),
           f"The labels should be {expected.tolist()} (n_per_class of each class in turn: "
           f"torch.arange(n_classes).repeat_interleave(n_per_class)), found {labels.cpu().tolist()}.")
    expect(len(G.calls) >= 1 and torch.cat([c[3] for c in G.calls]).tolist() == expected.tolist(),
           "G should be asked for the images of those labels, in that order.")
    expect(all(shape[1:] == (nz,) for _, _, shape, _ in G.calls),
           f"Give G noise of shape N×nz (torch.randn(len(labels), nz)), found {[c[2] for c in G.calls]}.")
    expect_shape(images, (18, 1, 28, 28), "The images for n_per_class=3 and n_classes=6", "Return G's images.")
    expect(labels.device.type == dev.type and images.device.type == dev.type,
           f"Return the labels and images on G's device ({dev}): torch.arange(..., device=...).")
    expect(not any(mode for mode, _, _, _ in G.calls),
           "Draw the images in eval mode (G.eval()): BatchNorm should use its running statistics, not the statistics "
           "of this batch of generated images.")
    expect(not images.requires_grad and not any(grad for _, grad, _, _ in G.calls),
           "Draw the images without a graph: wrap the call in torch.no_grad().")
    expect(G.training, "Give G back in training mode afterwards (it was training when conditional_samples was called).")
    noise_trace = images[:, 0, 0, 0] - expected.to(images.device).float() / 10
    expect(noise_trace.std() > 1e-5, "Every image should get its own noise: torch.randn(len(labels), nz).")
    G.eval()
    student.conditional_samples(G, nz, 2)
    expect(not G.training, "A generator that was in eval mode should stay in eval mode: restore G's own mode "
           "(was_training = G.training … G.train(was_training)), rather than always switching to train mode.")

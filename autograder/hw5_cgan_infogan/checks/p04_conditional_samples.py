import torch

from autograder.toolkit.device_probe import expect_on_meta
from autograder.toolkit.expect import expect
from autograder.hw5_cgan_infogan.checks_common import expect_shape


def _calls(value) -> list:
    """What the recording generator was given, per call: (training, grad enabled, noise shape, labels)."""
    ok = isinstance(value, list) and all(
        isinstance(c, (tuple, list)) and len(c) == 4 and isinstance(c[0], bool) and isinstance(c[1], bool)
        and isinstance(c[2], (tuple, list)) and all(type(s) is int for s in c[2]) and isinstance(c[3], torch.Tensor)
        and c[3].ndim == 1 for c in value)
    expect(ok, "The grader could not read how conditional_samples called G.")
    return [(c[0], c[1], tuple(c[2]), c[3]) for c in value]


def test_p04_conditional_samples(answer):
    """Samples of every class"""
    nz, n_per_class = 7, 3
    expect(answer["pair"] is True,
           f"conditional_samples should return the pair (images, labels), found {answer['type']}.")
    labels = answer["labels"]
    expected = torch.arange(6).repeat_interleave(n_per_class)
    expect_shape(labels, (18,), "The labels for n_per_class=3 and n_classes=6")
    expect(labels.tolist() == expected.tolist(),
           f"The labels should be {expected.tolist()} (n_per_class of each class in turn: "
           f"torch.arange(n_classes).repeat_interleave(n_per_class)), found {labels.tolist()}.")
    calls = _calls(answer["calls"])
    expect(len(calls) >= 1 and torch.cat([c[3] for c in calls]).tolist() == expected.tolist(),
           "G should be asked for the images of those labels, in that order.")
    expect(all(shape[1:] == (nz,) for _, _, shape, _ in calls),
           f"Give G noise of shape N×nz (torch.randn(len(labels), nz)), found {[c[2] for c in calls]}.")
    images = answer["images"]
    expect_shape(images, (18, 1, 28, 28), "The images for n_per_class=3 and n_classes=6", "Return G's images.")
    dev = answer["device_type"]
    expect(answer["devices"] == [dev, dev],
           f"Return the labels and images on G's device ({answer['device']}): torch.arange(..., device=...).")
    expect_on_meta(answer["meta"], "conditional_samples(G, 7, 3, n_classes=6), with G on the meta device,",
                   "Make the labels and the noise on G's device, dev = next(G.parameters()).device: "
                   "torch.arange(n_classes, device=dev) and torch.randn(len(labels), nz, device=dev).")
    expect(not any(mode for mode, _, _, _ in calls),
           "Draw the images in eval mode (G.eval()): BatchNorm should use its running statistics, not the statistics "
           "of this batch of generated images.")
    expect(answer["images_require_grad"] is False and not any(grad for _, grad, _, _ in calls),
           "Draw the images without a graph: wrap the call in torch.no_grad().")
    expect(answer["training_after"] is True,
           "Give G back in training mode afterwards (it was training when conditional_samples was called).")
    noise_trace = images[:, 0, 0, 0].float() - expected.float() / 10
    expect(noise_trace.std() > 1e-5, "Every image should get its own noise: torch.randn(len(labels), nz).")
    expect(answer["training_after_eval"] is False,
           "A generator that was in eval mode should stay in eval mode: restore G's own mode "
           "(was_training = G.training … G.train(was_training)), rather than always switching to train mode.")

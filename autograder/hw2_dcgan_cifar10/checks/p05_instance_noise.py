import torch

from autograder.pipeline.answer import type_name
from autograder.toolkit.device_probe import expect_on_meta
from autograder.toolkit.expect import as_float, expect, expect_close, expect_shape
from autograder.hw2_dcgan_cifar10 import fixtures as fx
from autograder.hw2_dcgan_cifar10.probes import NOISE_CASES


def test_p05_instance_noise(answer):
    """Annealed instance noise"""
    images = fx.uniform_images(64, seed=answer.seed)
    noisy = answer["noisy"]
    what = "add_instance_noise(images, 0.3) for 64 images of 3×32×32"
    expect(isinstance(noisy, torch.Tensor), f"{what} should be a torch.Tensor, found {type_name(noisy)}.")
    expect_shape(noisy, tuple(images.shape), what, "Add noise of the same shape as the images (torch.randn_like).")
    expect(answer["unchanged"] is True,
           "add_instance_noise changed its input in place: return a new tensor (images + ...), never images.add_(...) "
           "or +=: the caller's real batch is used again.")
    diff = (noisy - images).float()
    mean, std = diff.mean().item(), diff.std().item()
    expect(abs(mean) < 0.01 and abs(std - 0.3) < 0.01,
           f"The added noise should be Gaussian with mean 0 and standard deviation std (0.3 here); found mean "
           f"{mean:.4f}, std {std:.4f}. Use images + std * torch.randn_like(images).")
    again = answer["again"]
    expect(isinstance(again, torch.Tensor), f"add_instance_noise(images, 0.3) should be a torch.Tensor, found "
           f"{type_name(again)}.")
    expect(not (again.shape == noisy.shape and torch.equal(again, noisy)),
           "add_instance_noise gave the same noise twice: draw fresh noise on every call.")
    expect_on_meta(answer["meta"], "add_instance_noise(images, 0.3) with images on the device meta",
                   "Draw the noise where the images are: torch.randn_like(images) (torch.randn(images.shape) "
                   "without device= makes it on the CPU, and the training on a GPU then fails).")
    same = answer["same"]
    expect(isinstance(same, torch.Tensor) and same.shape == images.shape and torch.allclose(same, images),
           "With std=0 add_instance_noise should return the images unchanged.")

    start, n_epochs = 0.2, 20
    levels = answer["levels"]
    expect(isinstance(levels, list) and len(levels) == len(NOISE_CASES),
           "The grader could not read what instance_noise_std returned.")
    for (epoch, expected), level in zip(NOISE_CASES, levels):
        value = as_float(level, f"instance_noise_std({epoch}, 20, 0.2)")
        hint = ("The noise must stop at 0 once epoch ≥ n_epochs: never negative (max(0, ...))."
                if epoch > n_epochs else
                "The level falls linearly from start at epoch 0 to 0 at epoch n_epochs: start · (1 − epoch / n_epochs).")
        expect_close(value, expected, f"instance_noise_std(epoch={epoch}, n_epochs={n_epochs}, start={start})",
                     1e-6, hint)
    default = as_float(answer["default"], "instance_noise_std(0, 10)")
    expect_close(default, 0.1, "instance_noise_std(0, 10) with the default start", 1e-6, "The default start is 0.1.")

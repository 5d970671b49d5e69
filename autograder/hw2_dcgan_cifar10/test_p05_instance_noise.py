import pytest
import torch

from autograder.expect import as_float, expect, expect_close, expect_shape
from autograder.hw2_dcgan_cifar10 import reference as ref


@pytest.mark.points(5)
def test_p05_instance_noise(student):
    """Annealed instance noise"""
    dev = ref.device_of(student)
    torch.manual_seed(0)
    images = torch.rand(64, 3, 32, 32, device=dev) * 2 - 1
    before = images.clone()
    noisy = student.add_instance_noise(images, 0.3)
    expect_shape(noisy, tuple(images.shape), "add_instance_noise(images, 0.3) for 64 images of 3×32×32",
                 "Add noise of the same shape as the images (torch.randn_like).")
    expect(torch.equal(images, before),
           "add_instance_noise changed its input in place: return a new tensor (images + ...), never images.add_(...) "
           "or +=: the caller's real batch is used again.")
    diff = (noisy - images).float()
    mean, std = diff.mean().item(), diff.std().item()
    expect(abs(mean) < 0.01 and abs(std - 0.3) < 0.01,
           f"The added noise should be Gaussian with mean 0 and standard deviation std (0.3 here); found mean "
           f"{mean:.4f}, std {std:.4f}. Use images + std * torch.randn_like(images).")
    again = student.add_instance_noise(images, 0.3)
    expect(not torch.equal(again, noisy), "add_instance_noise gave the same noise twice: draw fresh noise on every call.")
    same = student.add_instance_noise(images, 0.0)
    expect(torch.allclose(same, images), "With std=0 add_instance_noise should return the images unchanged.")

    start, n_epochs = 0.2, 20
    cases = [(0, start), (5, 0.75 * start), (10, start / 2), (15, 0.25 * start), (20, 0.0), (25, 0.0), (40, 0.0)]
    for epoch, expected in cases:
        value = as_float(student.instance_noise_std(epoch, n_epochs, start), f"instance_noise_std({epoch}, 20, 0.2)")
        hint = ("The noise must stop at 0 once epoch ≥ n_epochs: never negative (max(0, ...))."
                if epoch > n_epochs else
                "The level falls linearly from start at epoch 0 to 0 at epoch n_epochs: start · (1 − epoch / n_epochs).")
        expect_close(value, expected, f"instance_noise_std(epoch={epoch}, n_epochs={n_epochs}, start={start})",
                     1e-6, hint)
    default = as_float(student.instance_noise_std(0, 10), "instance_noise_std(0, 10)")
    expect_close(default, 0.1, "instance_noise_std(0, 10) with the default start", 1e-6, "The default start is 0.1.")

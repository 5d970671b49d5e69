import torch

from autograder.pipeline.answer import device_name
from autograder.toolkit.device_probe import expect_on_meta
from autograder.toolkit.expect import expect, expect_shape
from autograder.hw1_mnist_gan.fixtures import randn


def test_p07_inputs_on_device(answer):
    """Real images and noise on the device"""
    z = answer["z"]
    expect_shape(z, (5000, 100), "sample_noise(5000, 100, device)")
    expect(z.dtype == torch.float32, f"Noise should be float32, found {z.dtype}.")
    mean, std = z.mean().item(), z.std().item()
    expect(abs(mean) < 0.02 and abs(std - 1) < 0.02,
           f"Noise should be standard normal (mean 0, std 1), found mean {mean:.3f}, std {std:.3f}. Use torch.randn.")
    again = answer["again"]
    expect(not (isinstance(again, torch.Tensor) and again.shape == z.shape and torch.equal(z, again)),
           "sample_noise returned the same noise twice: draw fresh noise on every call.")
    expect_on_meta(answer["noise_meta"], "sample_noise(4, 100, device)", "Pass device=device to torch.randn.")
    meta = answer["meta"]
    expect(device_name(meta) == "meta", "sample_noise should create the noise on the given device (meta in this "
           f"test), found {device_name(meta)}. Pass device=device to torch.randn.")
    expect_on_meta(answer["moved_meta"], "to_device(images, device)", "Return images.to(device).")
    moved = answer["moved"]
    expect(device_name(moved) == "meta", "to_device(images, device) should return the images on the device (meta "
           f"here), found {device_name(moved)}.")
    expect(list(moved.get("shape", [])) == [4, 1, 28, 28],
           f"to_device(images, device) should have shape (4, 1, 28, 28), found {tuple(moved.get('shape', []))}. "
           "Only move the images; do not reshape them.")
    images = randn(4, 1, 28, 28, seed=answer.seed).tanh()
    same = answer["same"]
    expect(isinstance(same, torch.Tensor) and same.shape == images.shape and torch.equal(same, images),
           "to_device should not change the pixel values.")

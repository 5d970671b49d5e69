import pytest
import torch

from autograder.expect import expect, expect_shape


@pytest.mark.points(15)
def test_p07_inputs_on_device(student):
    """Real images and noise on the device"""
    torch.manual_seed(0)
    z = student.sample_noise(5000, 100, torch.device("cpu"))
    expect_shape(z, (5000, 100), "sample_noise(5000, 100, device)")
    expect(z.dtype == torch.float32, f"Noise should be float32, found {z.dtype}.")
    mean, std = z.mean().item(), z.std().item()
    expect(abs(mean) < 0.02 and abs(std - 1) < 0.02,
           f"Noise should be standard normal (mean 0, std 1), found mean {mean:.3f}, std {std:.3f}. Use torch.randn.")
    again = student.sample_noise(5000, 100, torch.device("cpu"))
    expect(not torch.equal(z, again), "sample_noise returned the same noise twice: draw fresh noise on every call.")
    meta = student.sample_noise(4, 100, torch.device("meta"))
    expect(meta.device.type == "meta", f"sample_noise should create the noise on the given device (meta in this test), "
           f"found {meta.device}. Pass device=device to torch.randn.")
    images = torch.rand(4, 1, 28, 28) * 2 - 1
    moved = student.to_device(images, torch.device("meta"))
    expect(isinstance(moved, torch.Tensor) and moved.device.type == "meta",
           f"to_device(images, device) should return the images on the device (meta here), found "
           f"{getattr(moved, 'device', type(moved).__name__)}.")
    expect_shape(moved, (4, 1, 28, 28), "to_device(images, device)", "Only move the images; do not reshape them.")
    same = student.to_device(images, torch.device("cpu"))
    expect(torch.equal(same, images), "to_device should not change the pixel values.")

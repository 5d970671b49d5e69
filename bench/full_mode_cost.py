"""Benchmark: the cost of HW1's full-mode training on this machine, per batch and extrapolated.

Runs the solution's own functions (Part B's MLP GAN at batch 128, Part C's conv GAN at batch 64)
for a few batches of real MNIST and prints seconds per batch and the projected time of a full
run (60,000 images, 100 epochs). Run: `.venv/bin/python bench/full_mode_cost.py [--device cuda]`.
"""
from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import torch

HW = "hw1_mnist_gan"
SOLUTION = Path(__file__).resolve().parents[1] / "solutions" / HW / f"{HW}.ipynb"


def per_batch(step, batches: int) -> float:
    """Seconds per call of ``step`` (after one warm-up call), waiting for the GPU where there is one."""
    step()  # warm-up
    if torch.cuda.is_available():
        torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(batches):
        step()
    if torch.cuda.is_available():
        torch.cuda.synchronize()
    return (time.perf_counter() - start) / batches


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--device", default=None)
    parser.add_argument("--batches", type=int, default=20)
    args = parser.parse_args()
    os.environ.setdefault("MPLBACKEND", "Agg")
    if args.device:
        os.environ["GAN_COURSE_DEVICE"] = args.device
    from autograder.pipeline.notebook import execute_notebook
    from shared.data import load_mnist

    ns = execute_notebook(SOLUTION, workdir="/tmp", answers_only=True)._namespace
    device = ns["device"]
    data = load_mnist(train=False, verbose=False).images
    print(f"device: {device}  ·  threads: {torch.get_num_threads()}")

    G, D = ns["make_models"](100, device)
    d_opt, g_opt = ns["make_optimizers"](G, D, 2e-4, 2e-4)
    real = data[:128].to(device)

    def step_b():
        ns["discriminator_step"](D, G, d_opt, real, ns["sample_noise"](128, 100, device))
        ns["generator_step"](G, D, g_opt, ns["sample_noise"](128, 100, device))

    Gc, Dc = ns["GeneratorC"](100).to(device), ns["DiscriminatorC"]().to(device)
    dc_opt, gc_opt = ns["make_optimizers"](Gc, Dc, 2e-4, 2e-4)
    real_c = data[:64].to(device)

    def step_c():
        ns["discriminator_step"](Dc, Gc, dc_opt, ns["add_instance_noise"](real_c), ns["sample_noise"](64, 100, device))
        ns["generator_step"](Gc, Dc, gc_opt, ns["sample_noise"](64, 100, device))

    for name, step, batch in (("Part B (MLP GAN)", step_b, 128), ("Part C (conv GAN)", step_c, 64)):
        seconds = per_batch(step, args.batches)
        epoch = seconds * 60_000 / batch
        print(f"{name:<18} batch {batch:>3}: {seconds * 1000:7.1f} ms/batch · {epoch / 60:6.1f} min/epoch "
              f"of 60k · 100 epochs ≈ {epoch * 100 / 3600:6.1f} h")


if __name__ == "__main__":
    main()

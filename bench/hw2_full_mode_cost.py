"""Benchmark: what HW2's full mode costs, per part, measured here and projected for a GPU.

Runs the solution's own functions at full size (width 64, batch 128, WGAN-GP with 5 critic
batches of 128 per step) for a few steps on real CIFAR-10 images, counts the floating-point
operations of one step with PyTorch's FlopCounterMode, and prints for each part: time per
step on this device, the projected time of a full run (50,000 images, 25 epochs) here, and
on a GPU sustaining ``--gpu-tflops`` (default 4 TFLOP/s: a conservative float32 rate for these
small convolutions on a T4/V100-class card; an A100/H100 is several times faster).
Run: `.venv/bin/python bench/hw2_full_mode_cost.py [--device cuda] [--steps 5]`.
"""
from __future__ import annotations

import argparse
import os
from pathlib import Path

import torch
from torch.utils.flop_counter import FlopCounterMode

from full_mode_cost import per_batch as seconds_per_step  # bench/ is on sys.path when run as a script

HW = "hw2_dcgan_cifar10"
SOLUTION = Path(__file__).resolve().parents[1] / "solutions" / HW / f"{HW}.ipynb"
TRAIN_IMAGES, EPOCHS, BATCH, NZ, N_CRITIC = 50_000, 25, 128, 100, 5


def flops_of(step) -> float | None:
    """Floating-point operations of one step; None where the counter cannot follow autograd.grad."""
    try:
        with FlopCounterMode(display=False) as counter:
            step()
    except RuntimeError:  # FlopCounterMode does not support torch.autograd.grad (the gradient penalty)
        return None
    return float(counter.get_total_flops())


def print_costs(parts, repeats: int, gpu_tflops: float) -> None:
    """For each (name, one step, steps per full run): time per step here, the full run here and on a GPU.

    The GPU time counts the step's operations at ``gpu_tflops``; a step whose operations cannot be counted
    (the gradient penalty) is scaled by the speed-up of the first part that could be counted.
    """
    speedup = None  # GPU over this device, from the first part whose operations can be counted
    for name, step, steps in parts:
        seconds = seconds_per_step(step, repeats)
        flops = flops_of(step)
        here = seconds * steps
        if flops is not None:
            gpu = flops * steps / (gpu_tflops * 1e12)
            speedup = speedup or here / gpu
            counted = f"{flops / 1e9:6.2f} GFLOP/step"
        else:
            gpu = here / speedup
            counted = "  (GFLOP uncounted: scaled)"
        print(f"{name:<22} {seconds * 1000:8.1f} ms/step · {counted} · {steps:,} steps here "
              f"≈ {here / 3600:5.2f} h · on a {gpu_tflops:g}-TFLOP/s GPU ≈ {gpu / 60:5.1f} min")


def arguments_and_solution(solution: Path, **more):
    """The cost benchmarks' options (--device, --steps, --gpu-tflops, and ``more``: name → default, e.g.
    ``vae_steps=9_380`` for --vae-steps) and the solution's answers, executed."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--device", default=None)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--gpu-tflops", type=float, default=4.0)
    for name, default in more.items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=type(default), default=default)
    args = parser.parse_args()
    os.environ.setdefault("MPLBACKEND", "Agg")
    if args.device:
        os.environ["GAN_COURSE_DEVICE"] = args.device
    from autograder.pipeline.notebook import execute_notebook

    return args, execute_notebook(solution, workdir="/tmp", answers_only=True)._namespace


def main():
    args, ns = arguments_and_solution(SOLUTION)
    from shared.data import load_cifar10

    device = ns["device"]
    images = load_cifar10(train=False, per_class=64, verbose=False)
    real = images.images[:BATCH].to(device)
    labels = images.labels[:BATCH].to(device)
    critic_batches = images.images[:BATCH * N_CRITIC].to(device).chunk(N_CRITIC)
    print(f"device: {device} · torch threads: {torch.get_num_threads()} · full run: {EPOCHS} epochs of "
          f"{TRAIN_IMAGES:,} images, batch {BATCH}")

    def adam(module, lr=2e-4, betas=(0.5, 0.999)):
        return torch.optim.Adam(module.parameters(), lr=lr, betas=betas)

    G, D = ns["Generator"](NZ).to(device), ns["Discriminator"]().to(device)
    d_opt, g_opt = adam(D), adam(G)

    def dcgan_step():
        ns["discriminator_step"](D, G, d_opt, real, torch.randn(BATCH, NZ, device=device))
        ns["generator_step"](G, D, g_opt, torch.randn(BATCH, NZ, device=device))

    cG, cD = ns["ConditionalGenerator"](NZ).to(device), ns["ConditionalDiscriminator"]().to(device)
    cd_opt, cg_opt = adam(cD), adam(cG)

    def cgan_step():
        fake = cG(torch.randn(BATCH, NZ, device=device), labels)
        cd_opt.zero_grad()
        ns["discriminator_loss"](cD(real, labels), cD(fake.detach(), labels)).backward()
        cd_opt.step()
        cg_opt.zero_grad()
        ns["generator_loss"](cD(fake, labels)).backward()
        cg_opt.step()

    Gw, C = ns["Generator"](NZ).to(device), ns["Critic"]().to(device)
    wg_opt, wc_opt = adam(Gw, 1e-4, (0.0, 0.9)), adam(C, 1e-4, (0.0, 0.9))

    def wgan_step():
        ns["wgan_gp_step"](Gw, C, wg_opt, wc_opt, critic_batches, NZ)

    parts = [  # name, one step, steps per full run
        ("A/B/C DCGAN (per run)", dcgan_step, EPOCHS * TRAIN_IMAGES // BATCH),
        ("D cGAN", cgan_step, EPOCHS * TRAIN_IMAGES // BATCH),
        ("E WGAN-GP", wgan_step, EPOCHS * TRAIN_IMAGES // (BATCH * N_CRITIC)),
    ]
    print_costs(parts, args.steps, args.gpu_tflops)

if __name__ == "__main__":
    main()

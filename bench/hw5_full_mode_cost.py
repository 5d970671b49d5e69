"""Benchmark: what HW5's full mode costs, per run, measured here and projected for a GPU.

Runs the solution's own steps at full size on real MNIST digits for a few steps — the CGAN step (nz 100,
hidden 256, batch 64) and the InfoGAN step (the notebook's given generator and the discriminator with its Q
head, width 64, batch 64) — and prints the time per step, the full run's time here (the notebook's budgets:
18,750 CGAN steps, 28,125 InfoGAN steps) and on a GPU sustaining ``--gpu-tflops`` (operations counted by
PyTorch's FlopCounterMode).
Run: `.venv/bin/python bench/hw5_full_mode_cost.py [--device cuda] [--steps 5]`.
"""
from __future__ import annotations

from pathlib import Path

import nbformat
import torch

from hw2_full_mode_cost import arguments_and_solution, print_costs  # bench/ is on sys.path when run as a script

HW = "hw5_cgan_infogan"
SOLUTION = Path(__file__).resolve().parents[1] / "solutions" / HW / f"{HW}.ipynb"
BATCH, NZ, HIDDEN, WIDTH, CGAN_STEPS, INFO_STEPS = 64, 100, 256, 64, 18_750, 28_125
GIVEN_GENERATOR = "class InfoGenerator"  # the first line of the cell with the given InfoGAN generator


def given_generator(ns: dict) -> type:
    """The notebook's InfoGenerator: a given cell, not an answer, so the answers-only run did not define it."""
    source = next(c.source for c in nbformat.read(str(SOLUTION), as_version=4).cells if c.source.startswith(GIVEN_GENERATOR))
    exec(compile(source, "given InfoGenerator cell", "exec"), ns)
    return ns["InfoGenerator"]


def main():
    args, ns = arguments_and_solution(SOLUTION)
    from shared.data import load_mnist

    InfoGenerator = given_generator(ns)
    device = ns["device"]
    digits = load_mnist(train=False, verbose=False)
    real, labels = digits.images[:BATCH].to(device), digits.labels[:BATCH].to(device)
    print(f"device: {device} · torch threads: {torch.get_num_threads()} · batch {BATCH}")

    G, D = ns["CGenerator"](NZ, 10, HIDDEN).to(device), ns["CDiscriminator"](10, HIDDEN).to(device)
    g_opt, d_opt = (torch.optim.Adam(m.parameters(), lr=2e-4, betas=(0.5, 0.999)) for m in (G, D))

    def cgan_step():
        z, fake_labels = torch.randn(BATCH, NZ, device=device), torch.randint(0, 10, (BATCH,), device=device)
        ns["cgan_step"](G, D, g_opt, d_opt, real, labels, z, fake_labels)

    G_i, D_i = InfoGenerator(74, WIDTH).to(device), ns["InfoDiscriminator"](WIDTH, 10, 2).to(device)
    optimizers = ns["make_info_optimizers"](G_i, D_i)

    def info_step():
        ns["infogan_step"](G_i, D_i, *optimizers, real, *ns["sample_codes"](BATCH, device))

    print_costs([("A CGAN", cgan_step, CGAN_STEPS), ("B InfoGAN", info_step, INFO_STEPS)], args.steps, args.gpu_tflops)


if __name__ == "__main__":
    main()

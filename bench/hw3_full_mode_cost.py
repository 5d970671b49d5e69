"""Benchmark: what HW3's full mode costs, per run, measured here and projected for a GPU.

Runs the solution's own functions at full size (width 64, batch 64; each WGAN step is 5 critic updates on
batches of 64 and one generator update) for a few steps on real MNIST digits, and prints the time per step,
the full run's time here (the notebook's step budgets: 9,380 ACGAN steps, 10,000 generator updates of each
WGAN) and on a GPU sustaining ``--gpu-tflops`` (operations counted by PyTorch's FlopCounterMode; the gradient
penalty cannot be counted and is scaled like the clipped WGAN).
Run: `.venv/bin/python bench/hw3_full_mode_cost.py [--device cuda] [--steps 5]`.
"""
from __future__ import annotations

from pathlib import Path

import torch

from hw2_full_mode_cost import arguments_and_solution, print_costs  # bench/ is on sys.path when run as a script

HW = "hw3_acgan_wgan"
SOLUTION = Path(__file__).resolve().parents[1] / "solutions" / HW / f"{HW}.ipynb"
BATCH, NZ, N_CRITIC, ACGAN_STEPS, WGAN_STEPS = 64, 100, 5, 9_380, 10_000


def main():
    args, ns = arguments_and_solution(SOLUTION)
    from shared.data import load_mnist

    device = ns["device"]
    digits = load_mnist(train=False, verbose=False)
    real, labels = digits.images[:BATCH].to(device), digits.labels[:BATCH].to(device)
    critic_batches = digits.images[:BATCH * N_CRITIC].to(device).chunk(N_CRITIC)
    print(f"device: {device} · torch threads: {torch.get_num_threads()} · batch {BATCH}")

    G, D = ns["ACGenerator"](NZ).to(device), ns["ACDiscriminator"]().to(device)
    g_opt, d_opt = (torch.optim.Adam(m.parameters(), lr=2e-4, betas=(0.5, 0.999)) for m in (G, D))

    def acgan():
        ns["acgan_step"](G, D, g_opt, d_opt, real, labels, torch.randn(BATCH, NZ, device=device),
                         torch.randint(0, 10, (BATCH,), device=device))

    def unconditional():
        body = ns["ACGenerator"](NZ, n_classes=1).to(device)
        return lambda z: body(z, torch.zeros(len(z), dtype=torch.long, device=z.device)), body

    Gc, body_c = unconditional()
    Cc = ns["WGANCritic"]().to(device)
    gc_opt, cc_opt = ns["make_wgan_optimizers"](body_c, Cc)
    Gp, body_p = unconditional()
    Cp = ns["WGANCritic"]().to(device)
    gp_opt, cp_opt = (torch.optim.Adam(m.parameters(), lr=1e-4, betas=(0.0, 0.9)) for m in (body_p, Cp))

    def clipped():
        ns["wgan_step"](Gc, Cc, gc_opt, cc_opt, critic_batches, NZ, clip=0.01)

    def penalty():
        ns["wgan_step"](Gp, Cp, gp_opt, cp_opt, critic_batches, NZ, clip=None, lambda_gp=10.0)

    print_costs((("B ACGAN", acgan, ACGAN_STEPS), ("C WGAN, clipping", clipped, WGAN_STEPS),
                 ("D WGAN-GP", penalty, WGAN_STEPS)), args.steps, args.gpu_tflops)

if __name__ == "__main__":
    main()

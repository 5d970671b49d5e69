"""Benchmark: what HW4's full mode costs, per run, measured here and projected for a GPU.

Runs the solution's own functions at full size on real MNIST digits for a few steps — the VAE step (hidden 400,
batch 128), one DCGAN step with each of the five losses (width 64, batch 128; the notebook's given networks) and
the anomaly model's step (width 64, nz 100, 32×32, batch 64) — and prints the time per step, the full run's time
here (the notebook's budgets: 9,380 steps for each of the two VAEs, 4,690 for each loss, 3,000 for the anomaly
model) and on a GPU sustaining ``--gpu-tflops`` (operations counted by PyTorch's FlopCounterMode).
Run: `.venv/bin/python bench/hw4_full_mode_cost.py [--device cuda] [--steps 5]`.
"""
from __future__ import annotations

from pathlib import Path

import nbformat
import torch

from hw2_full_mode_cost import arguments_and_solution, print_costs  # bench/ is on sys.path when run as a script

HW = "hw4_vae_gan"
SOLUTION = Path(__file__).resolve().parents[1] / "solutions" / HW / f"{HW}.ipynb"
BATCH, BATCH_ANOMALY, NZ, VAE_STEPS, GAN_STEPS, ANOMALY_STEPS = 128, 64, 64, 9_380, 4_690, 3_000
GIVEN_NETWORKS = "from torch.nn.utils.parametrizations import spectral_norm"  # the cell with the given DCGAN


def main():
    args, ns = arguments_and_solution(SOLUTION)
    from shared.data import load_mnist, pad_to

    # The DCGAN of Part C is given, not an answer: run its cell (definitions only) in the solution's namespace.
    given = next(c.source for c in nbformat.read(str(SOLUTION), as_version=4).cells if c.source.startswith(GIVEN_NETWORKS))
    exec(compile(given, "given DCGAN cell", "exec"), ns)
    device = ns["device"]
    digits = load_mnist(train=False, verbose=False)
    real = digits.images[:BATCH].to(device)
    zeros = pad_to(digits, 32).images[digits.labels == 0][:BATCH_ANOMALY].to(device)
    print(f"device: {device} · torch threads: {torch.get_num_threads()} · batch {BATCH} (anomaly model {BATCH_ANOMALY})")

    vae = ns["VAE"](20, 400).to(device)
    vae_opt = torch.optim.Adam(vae.parameters(), lr=1e-3)
    parts = [("B VAE", lambda: ns["vae_step"](vae, vae_opt, (real + 1) / 2), VAE_STEPS)]
    for name, (d_loss, g_loss) in ns["LOSSES"].items():
        G, D = ns["Generator"](NZ, 64).to(device), ns["Discriminator"](64).to(device)
        g_opt, d_opt = (torch.optim.Adam(m.parameters(), lr=2e-4, betas=(0.5, 0.999)) for m in (G, D))
        parts.append((f"C {name}", lambda G=G, D=D, g_opt=g_opt, d_opt=d_opt, d_loss=d_loss, g_loss=g_loss:
                      ns["gan_step"](G, D, g_opt, d_opt, real, d_loss, g_loss), GAN_STEPS))
    model, latent_d = ns["EncoderDecoderEncoder"](100, 64).to(device), ns["LatentDiscriminator"](100).to(device)
    g_opt_a, d_opt_a = (torch.optim.Adam(m.parameters(), lr=2e-4, betas=(0.5, 0.999)) for m in (model, latent_d))
    parts.append(("E anomaly model", lambda: ns["anomaly_step"](model, latent_d, g_opt_a, d_opt_a, zeros), ANOMALY_STEPS))
    print_costs(parts, args.steps, args.gpu_tflops)


if __name__ == "__main__":
    main()

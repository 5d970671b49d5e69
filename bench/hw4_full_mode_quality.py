"""Benchmark: HW4's VAE and anomaly model trained at full size, and what they reach.

Both are cheap enough for a CPU (≈ 2 min for the VAE, ≈ 8 min for the anomaly model on two cores), so this runs
the solution's own functions with the notebook's full-mode sizes and budgets — the VAE (latent 20, hidden 400,
batch 128, Adam 1e-3, 9,380 steps) and the encoder-decoder-encoder (nz 100, width 64, batch 64, Adam 2e-4,
3,000 steps, weights 1/50/1) — and prints the VAE's negative ELBO and the anomaly model's AUROC on the test set
(0 normal, 1–9 anomalous) for ‖z − ẑ‖ and for the reconstruction error. The five DCGAN runs and FID/KID need a
GPU (see hw4_full_mode_cost.py). Offline, the training set is the test set standing in; the output says so.
Run: `.venv/bin/python bench/hw4_full_mode_quality.py [--device cuda] [--vae-steps N] [--anomaly-steps N]`.
"""
from __future__ import annotations

import time
from pathlib import Path

import torch

from hw2_full_mode_cost import arguments_and_solution  # bench/ is on sys.path when run as a script

HW = "hw4_vae_gan"
SOLUTION = Path(__file__).resolve().parents[1] / "solutions" / HW / f"{HW}.ipynb"


def main():
    args, ns = arguments_and_solution(SOLUTION, vae_steps=9_380, anomaly_steps=3_000)
    import shared
    from shared.data import DeviceLoader, load_mnist, one_class_split, pad_to

    device = ns["device"]
    train, test = load_mnist(train=True), load_mnist(train=False)

    shared.seed_everything(0)
    vae = ns["VAE"](20, 400).to(device)
    opt = torch.optim.Adam(vae.parameters(), lr=1e-3)
    loader = DeviceLoader(train, 128, device)
    epochs = shared.epochs_for_steps(args.vae_steps, len(loader))
    start = time.perf_counter()
    history = shared.fit_gan(loader, epochs, lambda real, labels: ns["vae_step"](vae, opt, (real + 1) / 2), desc="VAE")
    last = history.final()
    vae.eval()
    with torch.no_grad():
        x = (test.images[:2000].to(device) + 1) / 2
        logits, mu, logvar = vae(x)
        test_loss = [v.item() for v in ns["vae_loss"](logits, x, mu, logvar)]
    print(f"VAE: {epochs * len(loader):,} steps in {time.perf_counter() - start:.0f} s · last epoch: negative ELBO "
          f"{last['loss']:.1f} (reconstruction {last['reconstruction']:.1f}, KL {last['kl']:.1f}) · 2,000 test digits: "
          f"{test_loss[0]:.1f} ({test_loss[1]:.1f} + {test_loss[2]:.1f}) · training data: {train.source}")

    split = one_class_split(train, test, normal=0)
    normal, scored = pad_to(split.train, 32), pad_to(split.test, 32)
    shared.seed_everything(0)
    model, latent_d = ns["EncoderDecoderEncoder"](100, 64).to(device), ns["LatentDiscriminator"](100).to(device)
    g_opt, d_opt = (torch.optim.Adam(m.parameters(), lr=2e-4, betas=(0.5, 0.999)) for m in (model, latent_d))
    loader = DeviceLoader(normal, 64, device)
    epochs = shared.epochs_for_steps(args.anomaly_steps, len(loader))
    start = time.perf_counter()
    shared.fit_gan(loader, epochs, lambda real, labels: ns["anomaly_step"](model, latent_d, g_opt, d_opt, real),
                   desc="anomaly model")
    scores, errors = [], []
    model.eval()
    with torch.no_grad():
        for batch in scored.images.split(500):
            batch = batch.to(device)
            scores.append(ns["anomaly_score"](model, batch).cpu())
            errors.append((batch - model(batch)[1]).abs().flatten(1).mean(1).cpu())
    scores, errors = torch.cat(scores), torch.cat(errors)
    print(f"anomaly model: {epochs * len(loader):,} steps on {len(normal)} zeros in {time.perf_counter() - start:.0f} s · "
          f"AUROC ‖z − ẑ‖ {shared.roc.auroc(split.is_anomaly, scores):.3f} · reconstruction error "
          f"{shared.roc.auroc(split.is_anomaly, errors):.3f} · {split.note}")
    means = [scores[scored.labels == c].mean().item() for c in range(10)]
    print("mean score per digit: " + ", ".join(f"{c}: {m:.2f}" for c, m in enumerate(means)))


if __name__ == "__main__":
    main()
